//! The invite-code guard's memory, on SQLite and PostgreSQL alike: wrong codes are counted per
//! chat and overall within their windows, and forgotten after them.

use branchbot::config::InviteConfig;
use branchbot::flows::attempts::{BindAttempts, Verdict};
use branchbot::store::Store;

use crate::both;
use crate::helpers::{Db, TestDb};

both!(wrong_codes_lock_a_chat_then_everyone_and_are_forgotten_after_their_windows);

const MIN: i64 = 60_000;

async fn wrong_codes_lock_a_chat_then_everyone_and_are_forgotten_after_their_windows(
    store: &Store,
) {
    let guard = BindAttempts::new(&InviteConfig {
        max_wrong_codes_per_chat: 3,
        lockout_minutes: 15,
        max_wrong_codes: 7,
        wrong_codes_window_minutes: 10,
        ..InviteConfig::default()
    });
    let t0 = 1_800_000_000_000;
    let mut conn = store.pool().acquire().await.unwrap();
    for _ in 0..3 {
        assert_eq!(
            guard.check(&mut conn, "telegram", "1", t0).await.unwrap(),
            Verdict::Allowed
        );
        guard.failed(&mut conn, "telegram", "1", t0).await.unwrap();
    }
    assert_eq!(
        guard.check(&mut conn, "telegram", "1", t0).await.unwrap(),
        Verdict::ChatLocked { minutes: 15 }
    );
    // The same address on another channel is another chat.
    assert_eq!(
        guard.check(&mut conn, "sms", "1", t0).await.unwrap(),
        Verdict::Allowed
    );
    for chat in ["2", "2", "3", "3"] {
        guard
            .failed(&mut conn, "telegram", chat, t0 + MIN)
            .await
            .unwrap();
    }
    // Seven wrong codes within ten minutes: everyone waits, a fresh chat too.
    assert_eq!(
        guard
            .check(&mut conn, "telegram", "9", t0 + MIN)
            .await
            .unwrap(),
        Verdict::Busy { minutes: 10 }
    );
    // Ten minutes after the first three, the overall limit has room again, but chat 1 is
    // still locked for its fifteen.
    let later = t0 + 10 * MIN + 1;
    assert_eq!(
        guard
            .check(&mut conn, "telegram", "9", later)
            .await
            .unwrap(),
        Verdict::Allowed
    );
    assert_eq!(
        guard
            .check(&mut conn, "telegram", "1", later)
            .await
            .unwrap(),
        Verdict::ChatLocked { minutes: 15 }
    );
    assert_eq!(
        guard
            .check(&mut conn, "telegram", "1", t0 + 15 * MIN + 1)
            .await
            .unwrap(),
        Verdict::Allowed
    );
    // A failure long after forgets the old ones: the table holds only the windows' rows.
    guard
        .failed(&mut conn, "telegram", "4", t0 + 60 * MIN)
        .await
        .unwrap();
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM invite_failures")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(rows, 1);
}
