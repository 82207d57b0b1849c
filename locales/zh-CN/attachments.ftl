## 照片和文件（附件）：未保存的原因、命令行和管理后台。

attachments-refused-empty = 文件为空，未保存。
attachments-refused-too-large = 文件超过 { $limit_mb } MB，未保存。请发送较小的文件。
attachments-refused-type = 只保存照片（JPEG、PNG、WebP、GIF）和文档（PDF、Word、Excel、PowerPoint）；此文件为 { $detected }，未保存。
attachments-refused-damaged = 照片无法读取（文件已损坏），未保存。
attachments-kind-photo = 照片
attachments-kind-document = 文件
config-attachments-size-bad = attachments.max_size_mb 须在 1 到 { $max } 之间（现为 { $value }）。
config-attachments-kind-bad = attachments.allowed 中没有名为“{ $kind }”的类型（可用：{ $known }）。
config-attachments-s3-bad = { $field } 无效：“{ $value }”
config-attachments-s3-keys-pair = BRANCHBOT_S3_ACCESS_KEY_ID 和 BRANCHBOT_S3_SECRET_ACCESS_KEY 须同时设置或同时不设。
