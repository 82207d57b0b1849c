## Photos and files (attachments): why one was not kept, the command line and the dashboard.

attachments-refused-empty = The file is empty; nothing was kept.
attachments-refused-too-large = The file is larger than { $limit_mb } MB; nothing was kept. Please send a smaller one.
attachments-refused-type = Only photos (JPEG, PNG, WebP, GIF) and documents (PDF, Word, Excel, PowerPoint) are kept; this file is { $detected }. Nothing was kept.
attachments-refused-damaged = The photo could not be read (the file is damaged); nothing was kept.
attachments-kind-photo = photo
attachments-kind-document = document
config-attachments-size-bad = attachments.max_size_mb must be between 1 and { $max } (it is { $value }).
config-attachments-kind-bad = attachments.allowed: there is no kind named "{ $kind }" (known: { $known })
config-attachments-s3-bad = { $field } is not valid: "{ $value }"
config-attachments-s3-keys-pair = BRANCHBOT_S3_ACCESS_KEY_ID and BRANCHBOT_S3_SECRET_ACCESS_KEY go together: set both or neither.
