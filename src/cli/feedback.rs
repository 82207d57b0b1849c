//! `branchbot targets load FILE` and `branchbot qr CODE`: the feedback targets and their
//! printable plaques.

use std::path::{Path, PathBuf};

use clap::Subcommand;

use super::{bot_username, engine, file_name, Config, Failure, Outcome, Ui};
use crate::msg;
use crate::store::audit::{Action, Actor};

/// `branchbot targets …`.
#[derive(Debug, Subcommand)]
pub enum TargetsCommand {
    /// Load or update feedback targets from a CSV or TOML file.
    Load { file: PathBuf },
}

/// `branchbot targets load FILE`.
pub(super) async fn load_targets(config: &Config, file: &Path, ui: &Ui) -> Outcome {
    let name = file.display().to_string();
    let bytes = std::fs::read(file).map_err(|e| {
        ui.mistake(
            msg!("cli-file-unreadable"),
            &[
                ("file", name.as_str().into()),
                ("detail", e.to_string().into()),
            ],
        )
    })?;
    let toml = file
        .extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("toml"));
    let refused = |problems: Vec<crate::domain::targets::TargetProblem>| {
        let mut text = ui.r(
            msg!("targets-refused"),
            &[
                ("file", name.as_str().into()),
                ("count", problems.len().into()),
            ],
        );
        for p in &problems {
            text.push_str("\n  ");
            text.push_str(&p.render(&ui.catalog, ui.locale));
        }
        Failure::User(text)
    };
    let lines = crate::domain::targets::parse(&bytes, toml).map_err(refused)?;
    let e = engine(config, ui).await?;
    let mut tx = e.store.begin().await?;
    let count = match crate::feedback::load::load(&mut tx, &lines).await? {
        Ok(count) => count,
        Err(problems) => {
            tx.rollback().await?;
            return Err(refused(problems));
        }
    };
    crate::store::audit::record(
        &mut tx,
        e.clock.now_ms(),
        &Actor::operator(),
        Action::TargetsLoaded,
        &file_name(file),
        &count.to_string(),
    )
    .await?;
    tx.commit().await?;
    println!(
        "{}",
        ui.r(
            msg!("targets-loaded"),
            &[("file", name.as_str().into()), ("count", count.into())]
        )
    );
    e.store.close().await;
    Ok(())
}

/// `branchbot qr CODE [--out DIR]`: the plaque, whose QR code opens `<public_url>/f/CODE`.
pub(super) async fn qr(config: &Config, code: &str, out: Option<&Path>, ui: &Ui) -> Outcome {
    let e = engine(config, ui).await?;
    let mut conn = e.store.pool().acquire().await?;
    let target = crate::feedback::store::target_by_code(&mut conn, code).await?;
    drop(conn);
    e.store.close().await;
    let Some(target) = target else {
        return Err(ui.mistake(msg!("targets-unknown"), &[("code", code.into())]));
    };
    // The QR code opens the web page, which needs the address the public reaches the bot at.
    let Some(base) = config
        .http
        .public_url
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(|u| u.trim_end_matches('/').to_owned())
    else {
        return Err(ui.mistake(msg!("qr-no-public-url"), &[]));
    };
    let mut lines = vec![ui.r(
        msg!("qr-privacy"),
        &[("url", format!("{base}/f/privacy").into())],
    )];
    if let Some(username) = bot_username(config).await {
        lines.push(ui.r(
            msg!("qr-telegram"),
            &[(
                "link",
                format!("https://t.me/{username}?start=fb_{}", target.code).into(),
            )],
        ));
    }
    lines.push(ui.r(msg!("qr-sms"), &[("code", target.code.as_str().into())]));
    let kind = ui.t(crate::feedback::kind_msg(&target.kind));
    let plaque = crate::feedback::plaque::Plaque {
        link: crate::http::feedback::Web::target_url(&base, &target.code),
        title: format!("{kind} · {}", target.name),
        invitation: ui.t(msg!("qr-invitation")),
        stored: ui.t(msg!("feedback-stored")),
        lines,
    };
    let dir = out.unwrap_or_else(|| Path::new("."));
    // A folder that does not exist yet is made, as `report --out` does.
    let unwritable = |path: &Path, err: std::io::Error| {
        ui.mistake(
            msg!("report-unwritable"),
            &[
                ("file", path.display().to_string().into()),
                ("detail", err.to_string().into()),
            ],
        )
    };
    std::fs::create_dir_all(dir).map_err(|err| unwritable(dir, err))?;
    let svg = dir.join(format!("{}.svg", target.code));
    std::fs::write(&svg, plaque.svg()).map_err(|err| unwritable(&svg, err))?;
    println!(
        "{}",
        ui.r(
            msg!("qr-written"),
            &[("file", svg.display().to_string().into())]
        )
    );
    let png_path = dir.join(format!("{}.png", target.code));
    let png = plaque.png().map_err(|err| match err {
        crate::feedback::plaque::PngError::NoCjkFont => ui.mistake(
            msg!("qr-no-font"),
            &[(
                "fonts",
                crate::feedback::plaque::CJK_FAMILIES.join(", ").into(),
            )],
        ),
        other => Failure::Internal(other.into()),
    })?;
    std::fs::write(&png_path, png).map_err(|err| unwritable(&png_path, err))?;
    println!(
        "{}",
        ui.r(
            msg!("qr-written"),
            &[("file", png_path.display().to_string().into())]
        )
    );
    Ok(())
}
