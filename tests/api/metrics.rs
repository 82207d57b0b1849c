//! `/metrics` is not public: it is served on its own (loopback) address, and on the public
//! listener only to the bearer of `BRANCHBOT_METRICS_TOKEN`.

use branchbot::config::sms::Secret;
use branchbot::startup::{Application, Overrides};

use crate::helpers::spawn_app;

const TOKEN: &str = "metrics-token-0123456789";

#[tokio::test]
async fn metrics_are_served_on_their_own_address_and_not_on_the_public_listener() {
    let app = spawn_app().await;
    let public = app
        .http
        .get(format!("{}/metrics", app.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(public.status(), 404);
    let apart = app.app().metrics_addr.expect("a metrics listener");
    assert_ne!(apart, app.app().addr);
    let r = app
        .http
        .get(format!("http://{apart}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("# TYPE branchbot_inbox_updates gauge"),
        "{body}"
    );
    // The metrics listener serves nothing else: no webhook, no dashboard.
    let r = app
        .http
        .get(format!("http://{apart}/dashboard"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    app.stop().await;
}

#[tokio::test]
async fn with_a_token_the_public_listener_serves_metrics_only_to_its_bearer() {
    let mut test = spawn_app().await;
    test.app.take().expect("running").stop().await;
    let mut config = test.config();
    config.http.metrics_listen = String::new();
    config.http.metrics_token = Some(Secret::new(TOKEN));
    config.validate().expect("valid");
    let app = Application::build(config, Overrides::default())
        .await
        .expect("starts");
    assert_eq!(app.metrics_addr, None);
    let url = format!("http://{}/metrics", app.addr);
    let get = |auth: Option<String>| {
        let mut req = test.http.get(&url);
        if let Some(a) = auth {
            req = req.header("authorization", a);
        }
        req.send()
    };
    for refused in [
        None,
        Some("Bearer wrong".to_owned()),
        Some(format!("Bearer {TOKEN}x")),
        Some(format!("Basic {TOKEN}")),
        Some(TOKEN.to_owned()),
    ] {
        let r = get(refused.clone()).await.unwrap();
        assert_eq!(r.status(), 401, "{refused:?}");
        assert_eq!(r.headers()["www-authenticate"], "Bearer");
        assert!(!r.text().await.unwrap().contains("branchbot_"));
    }
    let r = get(Some(format!("Bearer {TOKEN}"))).await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("# TYPE branchbot_outbox_messages gauge"));
    app.stop().await;
    test.stop().await;
}
