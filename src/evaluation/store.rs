//! Evaluation rounds: who may vote and whether they have (`evaluation_voters`), the sealed
//! ballots of open rounds (`evaluation_ballots`: random id, padded ciphertext), and what was
//! voted as counters only (`evaluation_tallies`). A ballot is sealed into a row in the
//! transaction that flips its voter's flag; the counters are only added to when the round has
//! closed, in one transaction that deletes the ballots (see `evaluation::service::tally`), so no
//! counter ever shares a transaction with a voter's flag. Counters are made at opening.

use sqlx::Row;

use crate::store::{Conn, Result, StoreError};

/// A round as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    pub id: i64,
    pub kind: String,
    pub branch_id: i64,
    pub title: String,
    pub opens_at: i64,
    pub closes_at: i64,
}

impl Round {
    /// The round's kind; a stored kind this binary does not know is an error naming the round,
    /// never read as grades.
    pub fn round_kind(&self) -> Result<super::rules::RoundKind> {
        super::rules::RoundKind::parse(&self.kind)
            .ok_or_else(|| StoreError::unreadable("evaluation_rounds", self.id, "kind", &self.kind))
    }

    /// Whether ballots are accepted at `now`.
    pub fn is_open(&self, now: i64) -> bool {
        self.opens_at <= now && now < self.closes_at
    }
}

fn round(row: &sqlx::any::AnyRow) -> Result<Round> {
    Ok(Round {
        id: row.try_get("id")?,
        kind: row.try_get("kind")?,
        branch_id: row.try_get("branch_id")?,
        title: row.try_get("title")?,
        opens_at: row.try_get("opens_at")?,
        closes_at: row.try_get("closes_at")?,
    })
}

/// A round to open.
#[derive(Debug, Clone)]
pub struct NewRound<'a> {
    pub kind: &'a str,
    pub branch_id: i64,
    pub title: &'a str,
    pub opens_at: i64,
    pub closes_at: i64,
    pub created_by: Option<i64>,
    /// Members evaluated (or candidates), in ballot order.
    pub candidates: &'a [i64],
    pub voters: &'a [i64],
    /// How many options a ballot has per candidate.
    pub options: usize,
}

/// Opens a round with its voters and zeroed counters. Returns its id.
pub async fn open(conn: &mut Conn, r: &NewRound<'_>) -> Result<i64> {
    sqlx::query(
        "INSERT INTO evaluation_rounds (kind, branch_id, title, opens_at, closes_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(r.kind)
    .bind(r.branch_id)
    .bind(r.title)
    .bind(r.opens_at)
    .bind(r.closes_at)
    .bind(r.created_by)
    .execute(&mut *conn)
    .await?;
    let id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM evaluation_rounds")
        .fetch_one(&mut *conn)
        .await?;
    for (slot, m) in r.candidates.iter().enumerate() {
        sqlx::query(
            "INSERT INTO evaluation_candidates (round_id, slot, member_id) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(slot as i64)
        .bind(m)
        .execute(&mut *conn)
        .await?;
        for pick in 0..r.options {
            sqlx::query(
                "INSERT INTO evaluation_tallies (round_id, slot, pick, votes) VALUES ($1, $2, $3, 0)",
            )
            .bind(id)
            .bind(slot as i64)
            .bind(pick as i64)
            .execute(&mut *conn)
            .await?;
        }
    }
    for m in r.voters {
        sqlx::query("INSERT INTO evaluation_voters (round_id, member_id) VALUES ($1, $2)")
            .bind(id)
            .bind(m)
            .execute(&mut *conn)
            .await?;
    }
    Ok(id)
}

/// The round with this id.
pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<Round>> {
    sqlx::query(
        "SELECT id, kind, branch_id, title, opens_at, closes_at FROM evaluation_rounds WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?
    .as_ref()
    .map(round)
    .transpose()
}

/// Rounds of a branch (all branches when None), newest first.
pub async fn list(conn: &mut Conn, branch_id: Option<i64>) -> Result<Vec<Round>> {
    let rows = sqlx::query(
        "SELECT id, kind, branch_id, title, opens_at, closes_at FROM evaluation_rounds \
         WHERE $1 IS NULL OR branch_id = $1 ORDER BY id DESC",
    )
    .bind(branch_id)
    .fetch_all(conn)
    .await?;
    rows.iter().map(round).collect()
}

/// Open rounds in which this member may vote and has not yet.
pub async fn pending_for(conn: &mut Conn, member_id: i64, now: i64) -> Result<Vec<Round>> {
    let rows = sqlx::query(
        "SELECT r.id, r.kind, r.branch_id, r.title, r.opens_at, r.closes_at FROM evaluation_rounds r \
         JOIN evaluation_voters v ON v.round_id = r.id \
         WHERE v.member_id = $1 AND v.voted = 0 AND r.opens_at <= $2 AND r.closes_at > $2 \
         ORDER BY r.id",
    )
    .bind(member_id)
    .bind(now)
    .fetch_all(conn)
    .await?;
    rows.iter().map(round).collect()
}

/// Open rounds at `now`.
pub async fn open_rounds(conn: &mut Conn, now: i64) -> Result<Vec<Round>> {
    let rows = sqlx::query(
        "SELECT id, kind, branch_id, title, opens_at, closes_at FROM evaluation_rounds \
         WHERE opens_at <= $1 AND closes_at > $1 ORDER BY id",
    )
    .bind(now)
    .fetch_all(conn)
    .await?;
    rows.iter().map(round).collect()
}

/// The candidates in ballot order: `(member id, name)`.
pub async fn candidates(conn: &mut Conn, round_id: i64) -> Result<Vec<(i64, String)>> {
    Ok(sqlx::query_as(
        "SELECT m.id, m.name FROM evaluation_candidates c JOIN members m ON m.id = c.member_id \
         WHERE c.round_id = $1 ORDER BY c.slot",
    )
    .bind(round_id)
    .fetch_all(conn)
    .await?)
}

/// Voters who have not voted yet.
pub async fn non_voters(conn: &mut Conn, round_id: i64) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT member_id FROM evaluation_voters WHERE round_id = $1 AND voted = 0 ORDER BY member_id",
    )
    .bind(round_id)
    .fetch_all(conn)
    .await?)
}

/// `(voted, eligible)`.
pub async fn turnout(conn: &mut Conn, round_id: i64) -> Result<(i64, i64)> {
    Ok(sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(voted), 0) AS BIGINT), CAST(COUNT(*) AS BIGINT) \
         FROM evaluation_voters WHERE round_id = $1",
    )
    .bind(round_id)
    .fetch_one(conn)
    .await?)
}

/// Submits a ballot: flips the voter's flag and stores the sealed ballot under a random id.
/// False when the member may not vote or has voted already (nothing is changed then).
pub async fn submit(conn: &mut Conn, round_id: i64, member_id: i64, sealed: &str) -> Result<bool> {
    let flipped = sqlx::query(
        "UPDATE evaluation_voters SET voted = 1 WHERE round_id = $1 AND member_id = $2 AND voted = 0",
    )
    .bind(round_id)
    .bind(member_id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if flipped != 1 {
        return Ok(false);
    }
    sqlx::query("INSERT INTO evaluation_ballots (id, round_id, sealed) VALUES ($1, $2, $3)")
        .bind(hex::encode(rand::random::<[u8; 16]>()))
        .bind(round_id)
        .bind(sealed)
        .execute(&mut *conn)
        .await?;
    Ok(true)
}

/// The sealed ballots of a round not yet tallied: `(id, sealed)`, in id order (random).
pub async fn ballots(conn: &mut Conn, round_id: i64) -> Result<Vec<(String, String)>> {
    Ok(
        sqlx::query_as("SELECT id, sealed FROM evaluation_ballots WHERE round_id = $1 ORDER BY id")
            .bind(round_id)
            .fetch_all(conn)
            .await?,
    )
}

/// Rounds closed by `now` with ballots still to tally.
pub async fn untallied(conn: &mut Conn, now: i64) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT b.round_id FROM evaluation_ballots b \
         JOIN evaluation_rounds r ON r.id = b.round_id WHERE r.closes_at <= $1 ORDER BY b.round_id",
    )
    .bind(now)
    .fetch_all(conn)
    .await?)
}

/// Adds `votes` to a counter.
pub async fn add_votes(
    conn: &mut Conn,
    round_id: i64,
    slot: i64,
    pick: i64,
    votes: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE evaluation_tallies SET votes = votes + $1 WHERE round_id = $2 AND slot = $3 AND pick = $4",
    )
    .bind(votes)
    .bind(round_id)
    .bind(slot)
    .bind(pick)
    .execute(conn)
    .await?;
    Ok(())
}

/// Deletes tallied ballots. Returns how many were still there.
pub async fn delete_ballots(conn: &mut Conn, ids: &[String]) -> Result<u64> {
    let mut deleted = 0;
    for id in ids {
        deleted += sqlx::query("DELETE FROM evaluation_ballots WHERE id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    Ok(deleted)
}

/// The counters: `(slot, pick, votes)`.
pub async fn tallies(conn: &mut Conn, round_id: i64) -> Result<Vec<(i64, i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT slot, pick, votes FROM evaluation_tallies WHERE round_id = $1 ORDER BY slot, pick",
    )
    .bind(round_id)
    .fetch_all(conn)
    .await?)
}

/// Forgets the buttons of ballots left half-filled before `before` (ms). They are stored
/// sealed (see `flows::engine`), and older rows from before sealing in the clear: both go.
pub async fn forget_abandoned_ballots(conn: &mut Conn, before: i64) -> Result<u64> {
    Ok(sqlx::query(
        "UPDATE conversations SET choices = '[]' WHERE updated_at < $1 \
         AND (choices LIKE '%\"ev:%' OR choices LIKE 's1:%')",
    )
    .bind(before)
    .execute(conn)
    .await?
    .rows_affected())
}

/// Rounds of this kind for this branch whose time overlaps `[opens_at, closes_at)`: a second
/// one for the same period would be a duplicate.
pub async fn overlapping(
    conn: &mut Conn,
    branch_id: i64,
    kind: &str,
    opens_at: i64,
    closes_at: i64,
) -> Result<Vec<Round>> {
    let rows = sqlx::query(
        "SELECT id, kind, branch_id, title, opens_at, closes_at FROM evaluation_rounds \
         WHERE branch_id = $1 AND kind = $2 AND opens_at < $4 AND closes_at > $3 ORDER BY id",
    )
    .bind(branch_id)
    .bind(kind)
    .bind(opens_at)
    .bind(closes_at)
    .fetch_all(conn)
    .await?;
    rows.iter().map(round).collect()
}

/// Closes an open round now (before its planned end). False when it was not open.
pub async fn close_now(conn: &mut Conn, round_id: i64, now: i64) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE evaluation_rounds SET closes_at = $2 \
         WHERE id = $1 AND opens_at <= $2 AND closes_at > $2",
    )
    .bind(round_id)
    .bind(now)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluation::rules::RoundKind;

    fn round(kind: &str) -> Round {
        Round {
            id: 9,
            kind: kind.into(),
            branch_id: 1,
            title: "2026 年度民主评议".into(),
            opens_at: 0,
            closes_at: 1,
        }
    }

    #[test]
    fn a_round_of_an_unknown_kind_is_an_error_naming_it_not_a_round_of_grades() {
        assert_eq!(round("grades").round_kind().unwrap(), RoundKind::Grades);
        let err = round("stars").round_kind().unwrap_err();
        assert_eq!(
            err.to_string(),
            "stored data is corrupt: evaluation_rounds row 9: unknown kind 'stars'"
        );
    }
}
