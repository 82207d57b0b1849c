//! `[recruitment]`: what a college sets for 发展党员. The rules that read it are in
//! `recruitment::rules`.

use serde::Deserialize;

/// What a college may set (`[recruitment]`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    /// Months between two 思想汇报 (default 3: each quarter).
    pub report_months: u32,
    /// 考察 recorded before a person can be listed as 发展对象 (default 2: a year of
    /// half-yearly 考察, 第11–12条).
    pub reviews_before_candidate: usize,
    /// Working days a 公示 lasts (default 5). The 细则 asks for the 公示 after the 预审
    /// (第19条) without fixing its length: five working days is the usual provincial rule.
    /// Working days are those of the organisation's calendar when one is loaded
    /// (`branchbot calendar load`: holidays skipped, 调休 weekend days counted), Monday to
    /// Friday otherwise.
    pub publicity_working_days: u32,
    /// 学时 of 集中培训 (default 24; three days count as 24, 第17条).
    pub training_hours: u32,
    /// Days before the probation ends that the 转正 reminder goes out (default 30).
    pub remind_probation_days: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            report_months: 3,
            reviews_before_candidate: 2,
            publicity_working_days: 5,
            training_hours: 24,
            remind_probation_days: 30,
        }
    }
}
