//! Oversight for the college committee: the figures of every branch for a period
//! ([`figures`]), drawn as charts ([`charts`]). The figures are the ones the chat shows
//! (`/compliance`, `/pledge_stats`, `/notice_status`, `/feedback`, `/evaluation`, `/campaign`):
//! this module gathers them through the same functions and never computes them twice;
//! `crate::export` writes them as CSV and XLSX.
//! `branchbot report …` (`cli/report.rs`) exports them; the web dashboard draws the charts.

pub mod charts;
pub mod figures;
pub mod pushes;
