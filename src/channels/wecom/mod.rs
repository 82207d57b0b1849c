//! WeCom (企业微信): the same conversations through a self-built app (自建应用).
pub mod crypto;
pub mod xml;
