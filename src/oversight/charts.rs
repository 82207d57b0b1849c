//! The committee's charts, drawn with plotters as SVG and rasterized to PNG with resvg:
//! attendance rate per branch per month, meetings held against what the cadence requires,
//! pledge check-in status per branch, and the feedback rating distribution per target (only
//! targets at or above the threshold; the others are listed as hidden). Labels are in the
//! organisation's locale; the PNG needs a CJK font (see [`CJK_FAMILIES`]).
//!
//! The public face, shared by `branchbot report charts` and the web dashboard:
//! [`Chart`], [`ChartContext`], [`svg`], [`png`] (and [`data`] for what a chart shows).

use std::sync::Arc;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::figures;
use crate::domain::meetings::{MeetingKind, MeetingRules};
use crate::domain::period::Period;
use crate::feedback::rules::{Shown, MIN_RATINGS};
use crate::i18n::{Arg, Catalog, Locale, Msg};
use crate::msg;
use crate::store::{Conn, StoreError};

pub use crate::feedback::plaque::{PngError, CJK_FAMILIES};

/// A chart the committee reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Chart {
    /// Attendance rate per branch per month.
    Attendance,
    /// Meetings held per branch and kind, against the number the cadence requires.
    Cadence,
    /// The pledge check-in status per branch.
    Pledges,
    /// The rating distribution per feedback target (hidden under the threshold).
    Feedback,
}

impl Chart {
    pub const ALL: [Chart; 4] = [
        Self::Attendance,
        Self::Cadence,
        Self::Pledges,
        Self::Feedback,
    ];

    /// Its name in file names and URLs.
    pub fn slug(self) -> &'static str {
        match self {
            Self::Attendance => "attendance",
            Self::Cadence => "cadence",
            Self::Pledges => "pledges",
            Self::Feedback => "feedback",
        }
    }

    /// The chart of a slug.
    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.slug() == slug)
    }
}

/// What drawing needs besides the database: the organisation's language and zone, the
/// meeting cadence, and "now" (meetings not yet started are not held).
#[derive(Clone)]
pub struct ChartContext {
    pub catalog: Arc<Catalog>,
    pub locale: Locale,
    pub tz: Tz,
    pub rules: MeetingRules,
    pub now: DateTime<Utc>,
}

impl ChartContext {
    /// The engine's catalog, zone and rules, in the organisation's locale.
    pub fn of(engine: &crate::flows::engine::Engine, now: DateTime<Utc>) -> Self {
        Self {
            catalog: engine.catalog.clone(),
            locale: engine.org_locale,
            tz: engine.tz,
            rules: engine.meetings.clone(),
            now,
        }
    }

    fn t(&self, id: Msg) -> String {
        self.catalog.text(self.locale, id)
    }

    fn r(&self, id: Msg, args: &[(&str, Arg)]) -> String {
        self.catalog.render(self.locale, id, args)
    }
}

/// A bar chart's content: categories along the bottom, one bar (or one slice of a stacked
/// bar) per series in each.
#[derive(Debug, Clone, PartialEq)]
pub struct Bars {
    pub title: String,
    pub y_label: String,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    /// Series stacked in one bar per category rather than side by side.
    pub stacked: bool,
    /// Values are percentages (the axis runs 0–100%).
    pub percent: bool,
    /// Lines under the chart (what is hidden and why).
    pub notes: Vec<String>,
    /// Nothing to show for the period.
    pub empty: bool,
    /// The legend of the lines drawn across bars ([`Series::due`]).
    pub due_label: String,
}

/// One series of a bar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    /// One value per category; None where there is nothing to measure (no meeting held that
    /// month), drawn as "—" rather than as a zero.
    pub values: Vec<Option<f64>>,
    /// What is due per category, drawn as a line across the bar (meetings required).
    pub due: Option<Vec<f64>>,
    /// What the series means, which decides its colour.
    pub tone: Tone,
}

/// What a series means, and so its colour, from one palette for every chart: what is done is
/// calm, what is missing stands out, and series that are neither good nor bad (months, kinds
/// of meeting) share quiet, distinct colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Done, answered, satisfied: calm blue.
    Done,
    /// Waiting or in between (awaiting review, 一般): grey-blue.
    Pending,
    /// Needs attention (behind, blocked): amber.
    Warning,
    /// Missing, unanswered, dissatisfied: red.
    Missing,
    /// Neither good nor bad; the n-th such series of the chart.
    Neutral(usize),
}

impl Tone {
    /// The fill colour.
    pub fn color(self) -> RGBColor {
        const NEUTRAL: [RGBColor; 6] = [
            RGBColor(0x3a, 0x7c, 0xa5),
            RGBColor(0x81, 0xb2, 0x9a),
            RGBColor(0x5c, 0x6f, 0x91),
            RGBColor(0x9c, 0x89, 0xb8),
            RGBColor(0x6b, 0xa3, 0xbe),
            RGBColor(0x8d, 0x99, 0xae),
        ];
        match self {
            Self::Done => RGBColor(0x2e, 0x6f, 0x9e),
            Self::Pending => RGBColor(0x8c, 0x9b, 0xab),
            Self::Warning => RGBColor(0xe0, 0x8e, 0x0b),
            Self::Missing => RGBColor(0xc6, 0x28, 0x28),
            Self::Neutral(n) => NEUTRAL[n % NEUTRAL.len()],
        }
    }
}

/// The chart as an SVG document, for the whole college or one branch.
pub async fn svg(
    conn: &mut Conn,
    ctx: &ChartContext,
    chart: Chart,
    branch: Option<i64>,
    period: &Period,
) -> Result<String, StoreError> {
    let bars = data(conn, ctx, chart, branch, period).await?;
    Ok(draw(&bars, &ctx.t(msg!("chart-no-data"))))
}

/// What a chart shows, before drawing.
pub async fn data(
    conn: &mut Conn,
    ctx: &ChartContext,
    chart: Chart,
    branch: Option<i64>,
    period: &Period,
) -> Result<Bars, StoreError> {
    let label: Arg = crate::meetings::text::period_text(&ctx.catalog, ctx.locale, period).into();
    Ok(match chart {
        Chart::Attendance => {
            let rows = figures::attendance_by_month(conn, ctx.tz, period, branch, ctx.now).await?;
            let empty = rows
                .iter()
                .all(|r| r.months.iter().all(|(_, _, expected)| *expected == 0));
            Bars {
                title: ctx.r(msg!("chart-attendance-title"), &[("period", label)]),
                y_label: ctx.t(msg!("chart-attendance-axis")),
                // Branches along the bottom and a bar per month: the legend stays short
                // however many branches the college has.
                categories: rows.iter().map(|r| r.branch.clone()).collect(),
                series: period
                    .months()
                    .iter()
                    .enumerate()
                    .map(|(i, (y, m))| Series {
                        name: format!("{y}-{m:02}"),
                        values: rows.iter().map(|r| r.rates()[i].map(f64::from)).collect(),
                        due: None,
                        tone: Tone::Neutral(i),
                    })
                    .collect(),
                stacked: false,
                percent: true,
                notes: Vec::new(),
                empty,
                due_label: String::new(),
            }
        }
        Chart::Cadence => {
            let rows = figures::meetings(conn, ctx.tz, &ctx.rules, period, branch, ctx.now).await?;
            let kinds: Vec<MeetingKind> = MeetingKind::ALL
                .into_iter()
                .filter(|k| {
                    rows.iter().any(|f| {
                        f.kinds
                            .iter()
                            .any(|(kind, held, need)| kind == k && (*held > 0 || *need > 0))
                    })
                })
                .collect();
            let cell = |f: &figures::MeetingFigures, k: MeetingKind| {
                f.kinds
                    .iter()
                    .find(|(kind, _, _)| *kind == k)
                    .map_or((0.0, 0.0), |(_, held, need)| {
                        (f64::from(*held), f64::from(*need))
                    })
            };
            Bars {
                title: ctx.r(msg!("chart-cadence-title"), &[("period", label)]),
                y_label: ctx.t(msg!("chart-cadence-axis")),
                categories: rows.iter().map(|f| f.branch.clone()).collect(),
                series: kinds
                    .iter()
                    .enumerate()
                    .map(|(i, k)| Series {
                        name: ctx.t(k.msg()),
                        values: rows.iter().map(|f| Some(cell(f, *k).0)).collect(),
                        due: Some(rows.iter().map(|f| cell(f, *k).1).collect()),
                        tone: Tone::Neutral(i),
                    })
                    .collect(),
                stacked: false,
                percent: false,
                notes: Vec::new(),
                empty: rows.is_empty() || kinds.is_empty(),
                due_label: ctx.t(msg!("chart-cadence-due")),
            }
        }
        Chart::Pledges => {
            let rows = figures::pledges(conn, branch).await?;
            let column = |f: &dyn Fn(&figures::PledgeFigures) -> usize| -> Vec<f64> {
                rows.iter().map(|r| f(r) as f64).collect()
            };
            let answered = |r: &figures::PledgeFigures| r.round.map_or(0, |(_, _, a)| a) as usize;
            let series = vec![
                (
                    msg!("chart-pledges-answered"),
                    column(&answered),
                    Tone::Done,
                ),
                (
                    msg!("chart-pledges-unanswered"),
                    column(&|r| r.round.map_or(0, |(_, asked, a)| (asked - a).max(0)) as usize),
                    Tone::Missing,
                ),
                (
                    msg!("chart-pledges-attention"),
                    column(&|r| r.attention.len()),
                    Tone::Warning,
                ),
                (
                    msg!("chart-pledges-no-pledge"),
                    column(&|r| r.no_pledge.len()),
                    Tone::Missing,
                ),
                (
                    msg!("chart-pledges-awaiting"),
                    column(&|r| r.awaiting.len()),
                    Tone::Pending,
                ),
            ];
            let empty = series.iter().all(|(_, v, _)| v.iter().all(|x| *x == 0.0));
            Bars {
                title: ctx.t(msg!("chart-pledges-title")),
                y_label: ctx.t(msg!("chart-pledges-axis")),
                categories: rows.iter().map(|r| r.branch.clone()).collect(),
                series: series
                    .into_iter()
                    .map(|(id, values, tone)| Series {
                        name: ctx.t(id),
                        values: values.into_iter().map(Some).collect(),
                        due: None,
                        tone,
                    })
                    .collect(),
                stacked: false,
                percent: false,
                notes: Vec::new(),
                empty,
                due_label: String::new(),
            }
        }
        Chart::Feedback => {
            let months = figures::feedback(conn, period, branch).await?;
            let several = months.len() > 1;
            let mut categories = Vec::new();
            let mut values: [Vec<f64>; 3] = Default::default();
            let mut notes = Vec::new();
            for month in months.iter().filter(|m| m.rated) {
                let mut hidden = Vec::new();
                for row in &month.rows {
                    match &row.shown {
                        Shown::Counts(c) => {
                            categories.push(if several {
                                format!("{} {}", row.target.name, month.month)
                            } else {
                                row.target.name.clone()
                            });
                            for (v, n) in values.iter_mut().zip(c) {
                                v.push(*n as f64);
                            }
                        }
                        Shown::Hidden => hidden.push(row.target.name.clone()),
                    }
                }
                if !hidden.is_empty() {
                    notes.push(ctx.r(
                        msg!("chart-feedback-hidden"),
                        &[
                            ("min", MIN_RATINGS.into()),
                            ("month", month.month.as_str().into()),
                            ("count", hidden.len().into()),
                            ("targets", shorten(&hidden, 12).into()),
                        ],
                    ));
                }
            }
            let names = [
                (msg!("feedback-rating-satisfied"), Tone::Done),
                (msg!("feedback-rating-fair"), Tone::Pending),
                (msg!("feedback-rating-dissatisfied"), Tone::Missing),
            ];
            Bars {
                title: ctx.r(msg!("chart-feedback-title"), &[("period", label)]),
                y_label: ctx.t(msg!("chart-feedback-axis")),
                empty: !months.iter().any(|m| m.rated),
                categories,
                series: names
                    .into_iter()
                    .zip(values)
                    .map(|((id, tone), values)| Series {
                        name: ctx.t(id),
                        values: values.into_iter().map(Some).collect(),
                        due: None,
                        tone,
                    })
                    .collect(),
                stacked: true,
                percent: false,
                notes,
                due_label: String::new(),
            }
        }
    })
}

/// A note cut into lines no wider than `max_px` at the notes' 15px font (a CJK character
/// about 15px wide, others about 8px), breaking at a space or 、 where it can.
fn wrap(note: &str, max_px: u32) -> Vec<String> {
    let px = |c: char| if c.is_ascii() { 8 } else { 15 };
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for c in note.chars() {
        if used + px(c) > max_px && !line.is_empty() {
            // Break after the last space or 、 in the second half of the line, if any.
            let cut = line
                .char_indices()
                .rev()
                .find(|(_, ch)| *ch == ' ' || *ch == '、')
                .map(|(i, ch)| i + ch.len_utf8())
                .filter(|i| *i > line.len() / 2);
            let rest = match cut {
                Some(i) => line.split_off(i),
                None => String::new(),
            };
            lines.push(std::mem::take(&mut line).trim_end().to_owned());
            used = rest.chars().map(px).sum();
            line = rest;
        }
        line.push(c);
        used += px(c);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Names joined with 、, the first `max` only (then …).
fn shorten(names: &[String], max: usize) -> String {
    let mut out = names
        .iter()
        .take(max)
        .cloned()
        .collect::<Vec<_>>()
        .join("、");
    if names.len() > max {
        out.push_str("、…");
    }
    out
}

/// The font families asked for in the SVG: the CJK ones ([`CJK_FAMILIES`]) first, then any
/// sans-serif.
const FAMILIES: &str = "Noto Sans CJK SC, Noto Serif CJK SC, Source Han Sans SC, \
     WenQuanYi Zen Hei, WenQuanYi Micro Hei, AR PL UMing CN, sans-serif";

fn font(size: u32) -> FontDesc<'static> {
    (FAMILIES, size).into_font()
}

/// Draws a bar chart as SVG; `no_data` is written across an empty one.
pub fn draw(bars: &Bars, no_data: &str) -> String {
    let mut out = String::new();
    if let Err(e) = draw_into(&mut out, bars, no_data).map_err(|e| e.to_string()) {
        // Drawing into a string cannot fail on I/O; a failure here is a bug worth seeing.
        tracing::error!(error = %e, "chart not drawn");
    }
    out
}

fn draw_into<'o>(
    out: &'o mut String,
    bars: &Bars,
    no_data: &str,
) -> Result<(), Box<dyn std::error::Error + 'o>> {
    let n = bars.categories.len().max(1);
    let per_group = if bars.stacked {
        90
    } else {
        30 * bars.series.len().max(1) as u32 + 40
    };
    let width = (140 + per_group * n as u32).clamp(800, 4000);
    // Notes are wrapped to the width, so that a long one is not cut off at the edge.
    let notes: Vec<String> = bars
        .notes
        .iter()
        .flat_map(|note| wrap(note, width.saturating_sub(48)))
        .collect();
    let notes_height = 26 * notes.len() as u32 + 10;
    let height = 560 + notes_height;
    {
        let root = SVGBackend::with_string(out, (width, height)).into_drawing_area();
        root.fill(&WHITE)?;
        let (upper, lower) = root.split_vertically(height - notes_height);
        let top = if bars.empty || bars.series.is_empty() {
            1.0
        } else if bars.percent {
            100.0
        } else {
            let mut top = 0.0f64;
            for i in 0..bars.categories.len() {
                let column = bars.series.iter().map(|s| s.values[i].unwrap_or(0.0));
                let dues = bars
                    .series
                    .iter()
                    .filter_map(|s| s.due.as_ref().map(|d| d[i]));
                let highest = if bars.stacked {
                    column.sum::<f64>()
                } else {
                    column.fold(0.0, f64::max)
                };
                top = top.max(highest).max(dues.fold(0.0, f64::max));
            }
            top.max(1.0)
        };
        // Headroom above the highest bar for the legend (one line per series).
        let legend = 1.0 + 0.09 * (bars.series.len() as f64 + 1.0) + 0.1;
        let y_top = if bars.empty {
            1.0
        } else if bars.percent {
            (100.0 * legend).ceil()
        } else {
            (top * legend).ceil()
        };
        let pad = (3.0 - n as f64).max(0.0) / 2.0;
        let mut chart = ChartBuilder::on(&upper)
            .caption(&bars.title, font(26))
            .margin(16)
            .x_label_area_size(56)
            .y_label_area_size(70)
            // At least three slots wide, so that one or two bars are not drawn huge; centred.
            .build_cartesian_2d(-pad..n as f64 + pad, 0f64..y_top)?;
        let percent = bars.percent;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(WHITE)
            .x_labels(0)
            // An empty chart has no scale to read (its 0–1 range read "1% 1% 1% 0%").
            .y_labels(match (bars.empty, percent) {
                (true, _) => 0,
                (false, true) => 12,
                (false, false) => 10,
            })
            .y_label_formatter(&|y| {
                if percent {
                    if *y > 100.5 {
                        String::new()
                    } else {
                        format!("{y:.0}%")
                    }
                } else if y.fract().abs() < 1e-9 {
                    format!("{y:.0}")
                } else {
                    String::new()
                }
            })
            .y_desc(bars.y_label.as_str())
            .label_style(font(15))
            .axis_desc_style(font(16))
            .draw()?;
        if bars.empty {
            let (x, y) = chart.backend_coord(&(n as f64 / 2.0, y_top / 2.0));
            root.draw(&Text::new(
                no_data.to_owned(),
                (x, y),
                font(24)
                    .color(&RGBColor(0x66, 0x66, 0x66))
                    .pos(Pos::new(HPos::Center, VPos::Center)),
            ))?;
        } else {
            draw_bars(&mut chart, bars)?;
            for (i, name) in bars.categories.iter().enumerate() {
                let (x, y) = chart.backend_coord(&(i as f64 + 0.5, 0.0));
                root.draw(&Text::new(
                    name.clone(),
                    (x, y + 10),
                    font(15)
                        .color(&BLACK)
                        .pos(Pos::new(HPos::Center, VPos::Top)),
                ))?;
            }
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperRight)
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK.mix(0.4))
                .label_font(font(14))
                .draw()?;
        }
        for (i, note) in notes.iter().enumerate() {
            lower.draw(&Text::new(
                note.clone(),
                (24, 4 + 26 * i as i32),
                font(15).color(&RGBColor(0x44, 0x44, 0x44)),
            ))?;
        }
        root.present()?;
    }
    Ok(())
}

type Plot<'a, 'b> = ChartContext2d<'a, 'b>;
type ChartContext2d<'a, 'b> = plotters::chart::ChartContext<
    'a,
    SVGBackend<'b>,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

fn draw_bars<'a, 'b>(
    chart: &mut Plot<'a, 'b>,
    bars: &Bars,
) -> Result<(), Box<dyn std::error::Error + 'b>> {
    let k = bars.series.len().max(1) as f64;
    let width = if bars.stacked { 0.6 } else { 0.8 / k };
    let mut base = vec![0.0f64; bars.categories.len()];
    let mut any_due = false;
    for (j, s) in bars.series.iter().enumerate() {
        let color = s.tone.color();
        let spans: Vec<(f64, f64, f64, f64)> = s
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let x0 = if bars.stacked {
                    i as f64 + 0.2
                } else {
                    i as f64 + 0.1 + j as f64 * width
                };
                let y0 = if bars.stacked { base[i] } else { 0.0 };
                (x0, x0 + width, y0, y0 + v.unwrap_or(0.0))
            })
            .collect();
        chart
            .draw_series(
                spans
                    .iter()
                    // A bar of nothing is no rectangle (renderers warn about zero heights).
                    .filter(|(_, _, y0, y1)| y1 > y0)
                    .map(|(x0, x1, y0, y1)| {
                        Rectangle::new([(*x0, *y0), (*x1, *y1)], color.filled())
                    }),
            )?
            .label(s.name.clone())
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], color.filled()));
        let value_text = |v: Option<f64>| match v {
            None => "—".to_owned(),
            Some(v) if bars.percent => format!("{v:.0}%"),
            Some(v) => format!("{v:.0}"),
        };
        chart.draw_series(
            spans
                .iter()
                .zip(&s.values)
                .filter(|(_, v)| !bars.stacked || v.is_some_and(|v| v > 0.0))
                .map(|((x0, x1, y0, y1), v)| {
                    let at = if bars.stacked {
                        ((x0 + x1) / 2.0, (y0 + y1) / 2.0)
                    } else {
                        ((x0 + x1) / 2.0, *y1)
                    };
                    let (anchor, color, lift) = if bars.stacked {
                        (Pos::new(HPos::Center, VPos::Center), WHITE, 0)
                    } else {
                        // Above the bar, clear of a due line drawn at the same height.
                        (Pos::new(HPos::Center, VPos::Bottom), BLACK, -5)
                    };
                    EmptyElement::at(at)
                        + Text::new(
                            value_text(*v),
                            (0, lift),
                            font(14).color(&color).pos(anchor),
                        )
                }),
        )?;
        if let Some(due) = &s.due {
            any_due = true;
            chart.draw_series(spans.iter().zip(due).map(|((x0, x1, _, _), d)| {
                // Inset, so that the lines of neighbouring bars do not join into one.
                let inset = (x1 - x0) * 0.12;
                PathElement::new(
                    vec![(x0 + inset, *d), (x1 - inset, *d)],
                    BLACK.stroke_width(3),
                )
            }))?;
        }
        if bars.stacked {
            for (b, v) in base.iter_mut().zip(&s.values) {
                *b += v.unwrap_or(0.0);
            }
        }
    }
    if any_due {
        chart
            .draw_series(std::iter::empty::<PathElement<(f64, f64)>>())?
            .label(bars.due_label.clone())
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 14, y)], BLACK.stroke_width(3)));
    }
    Ok(())
}

/// The machine's CJK fonts, read into memory once per process. (Left as files, every text of
/// a chart would read the whole font file again: a CJK font is 10–20 MB.) None without one.
fn cjk_fonts() -> Option<Arc<resvg::usvg::fontdb::Database>> {
    use resvg::usvg::fontdb::{Database, Source};
    static FONTS: std::sync::OnceLock<Option<Arc<Database>>> = std::sync::OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut system = Database::new();
            system.load_system_fonts();
            let mut fonts = Database::new();
            let mut read = std::collections::HashSet::new();
            let mut family = None;
            for wanted in CJK_FAMILIES {
                for face in system.faces() {
                    if !face.families.iter().any(|(name, _)| name == wanted) {
                        continue;
                    }
                    family.get_or_insert(*wanted);
                    if let Source::File(path) = &face.source {
                        if read.insert(path.clone()) {
                            if let Ok(bytes) = std::fs::read(path) {
                                fonts.load_font_data(bytes);
                            }
                        }
                    }
                }
            }
            let family = family?;
            if fonts.is_empty() {
                return None;
            }
            fonts.set_sans_serif_family(family);
            Some(Arc::new(fonts))
        })
        .clone()
}

/// The SVG drawn as a PNG (at twice its size, at most 4,000 pixels wide) with a CJK font of this machine; without one the
/// PNG is refused with [`PngError::NoCjkFont`] rather than drawn with boxes.
pub fn png(svg: &str) -> Result<Vec<u8>, PngError> {
    use resvg::{tiny_skia, usvg};
    let options = usvg::Options {
        fontdb: cjk_fonts().ok_or(PngError::NoCjkFont)?,
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| PngError::Render(e.to_string()))?;
    let size = tree.size();
    // Twice the SVG's size for sharp text, but no wider than 4,000 pixels (a college of many
    // branches makes a wide chart).
    let scale = (4000.0 / size.width()).min(2.0);
    let mut pixmap = tiny_skia::Pixmap::new(
        (size.width() * scale).ceil() as u32,
        (size.height() * scale).ceil() as u32,
    )
    .ok_or_else(|| PngError::Render("empty image".into()))?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| PngError::Render(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(stacked: bool) -> Bars {
        Bars {
            title: "三会一课：已开次数与应开次数（2026Q4）".into(),
            y_label: "会议次数".into(),
            categories: vec!["第一支部".into(), "第二支部 <A&B>".into()],
            series: vec![
                Series {
                    name: "支委会".into(),
                    values: vec![Some(3.0), Some(1.0)],
                    due: Some(vec![3.0, 3.0]),
                    tone: Tone::Done,
                },
                Series {
                    name: "党课".into(),
                    values: vec![Some(1.0), None],
                    due: Some(vec![1.0, 1.0]),
                    tone: Tone::Missing,
                },
            ],
            stacked,
            percent: false,
            notes: vec!["2026-11 有 2 个对象评价少于 5 条，暂不显示：甲、乙".into()],
            empty: false,
            due_label: "应开次数".into(),
        }
    }

    #[test]
    fn a_bar_chart_carries_its_chinese_labels_escaped_and_a_legend() {
        for stacked in [false, true] {
            let svg = draw(&sample(stacked), "该时段没有数据");
            assert!(svg.starts_with("<svg"), "{svg}");
            for text in [
                "三会一课",
                "第一支部",
                "第二支部 &lt;A&amp;B&gt;",
                "支委会",
                "党课",
                "应开次数",
                "暂不显示：甲、乙",
            ] {
                assert!(svg.contains(text), "{text} missing");
            }
            assert!(!svg.contains("该时段没有数据"));
        }
    }

    #[test]
    fn an_empty_chart_says_there_is_no_data() {
        let mut bars = sample(false);
        bars.empty = true;
        let svg = draw(&bars, "该时段没有数据");
        assert!(svg.contains("该时段没有数据"));
        assert!(!svg.contains("第一支部"));
    }

    #[test]
    fn an_empty_percentage_chart_has_no_axis_of_repeated_percentages() {
        let mut bars = sample(false);
        bars.empty = true;
        bars.percent = true;
        let svg = draw(&bars, "该时段没有数据");
        for tick in ["1%", "0%", ">1<", ">0<"] {
            assert!(!svg.contains(tick), "{tick} in an empty chart");
        }
    }

    #[test]
    fn a_long_note_is_wrapped_to_the_width_not_cut_off() {
        let names: Vec<String> = (1..=12).map(|i| format!("{i}号楼 30{i} 宿舍")).collect();
        let note = format!(
            "2026-11 有 12 个对象评价少于 5 条，暂不显示：{}",
            names.join("、")
        );
        let lines = wrap(&note, 752);
        assert!(lines.len() > 1, "{lines:?}");
        let px = |l: &String| -> u32 { l.chars().map(|c| if c.is_ascii() { 8 } else { 15 }).sum() };
        assert!(lines.iter().all(|l| px(l) <= 752), "{lines:?}");
        assert_eq!(lines.concat().replace(' ', ""), note.replace(' ', ""));
        let mut bars = sample(true);
        bars.notes = vec![note];
        let svg = draw(&bars, "");
        assert!(svg.contains("12号楼 3012 宿舍"), "the last name is drawn");
    }

    #[test]
    fn colours_mean_the_same_in_every_chart_done_calm_and_missing_standing_out() {
        let svg = draw(&sample(false), "");
        let hex = |c: RGBColor| format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2);
        assert!(
            svg.contains(&hex(Tone::Done.color())),
            "done is drawn in its colour"
        );
        assert!(
            svg.contains(&hex(Tone::Missing.color())),
            "missing in its own"
        );
        assert_ne!(Tone::Done.color(), Tone::Missing.color());
        // Red is kept for what is missing: no neutral series is drawn in it.
        for n in 0..12 {
            assert_ne!(Tone::Neutral(n).color(), Tone::Missing.color());
            assert_ne!(Tone::Neutral(n).color(), Tone::Warning.color());
        }
    }

    #[test]
    fn the_font_list_asks_for_every_cjk_family_first() {
        assert!(FAMILIES.starts_with(&CJK_FAMILIES.join(", ")));
    }

    #[test]
    fn a_chart_draws_as_a_png_with_a_cjk_font_or_says_which_font_is_missing() {
        let svg = draw(&sample(false), "");
        match png(&svg) {
            Ok(image) => {
                assert!(image.starts_with(b"\x89PNG") && image.len() > 5000);
                if let Some(dir) = std::env::var_os("BRANCHBOT_CHART_DIR") {
                    let dir = std::path::Path::new(&dir);
                    std::fs::write(dir.join("sample.png"), &image).unwrap();
                    std::fs::write(
                        dir.join("sample-stacked.png"),
                        png(&draw(&sample(true), "")).unwrap(),
                    )
                    .unwrap();
                }
            }
            Err(PngError::NoCjkFont) if std::env::var_os("CI").is_none() => {
                eprintln!("skipped: no CJK font; install fonts-wqy-zenhei")
            }
            Err(e) => panic!("{e}"),
        }
    }
}
