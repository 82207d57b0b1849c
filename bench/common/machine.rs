//! The state of the machine while a benchmark runs. A figure means something only with the
//! load it was taken under, so every bench states what the machine's other core does
//! (`--other-core idle`, or `busy`: the bench runs a CPU hog itself), prints the load average at
//! the start, and at the end measures what the rest of the machine used meanwhile. When other
//! processes took more than [`FOREIGN_LIMIT`] of a core, or the hog of a `busy` run got less
//! than [`HOG_FLOOR`] of one, the run's numbers are printed as "not figures" and the bench fails.
//!
//! What this process and the children it has waited for used is its own (`/proc/self/stat`:
//! utime, stime, cutime, cstime), and so is what the PostgreSQL server did meanwhile (every
//! process named `postgres`, with the backends it has reaped): a bot on PostgreSQL does part of
//! its work there. Everything else the kernel counted busy (`/proc/stat`, steal included) is
//! foreign. Wait for every child before [`Machine::finish`].

use std::process::{Child, Command, Stdio};
use std::time::Instant;

/// Other processes may use up to this much of a core on average and the figures still stand.
pub const FOREIGN_LIMIT: f64 = 0.3;
/// A `busy` run's hog must get at least this much of a core on average.
pub const HOG_FLOOR: f64 = 0.5;

/// What the machine's other core does during the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OtherCore {
    /// Nothing: the bench is alone on the machine.
    Idle,
    /// A CPU hog this bench starts spins on it all the run.
    Busy,
}

impl OtherCore {
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "idle" => Some(Self::Idle),
            "busy" => Some(Self::Busy),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Idle => "idle",
            Self::Busy => "busy (a CPU hog started by the bench)",
        }
    }
}

/// A run under way: the hog, if any, and the counters at its start.
pub struct Machine {
    stated: OtherCore,
    hog: Option<Child>,
    started: Instant,
    busy_at_start: u64,
    own_at_start: u64,
}

/// How the machine was during a run.
#[derive(Debug, Clone, Copy)]
pub struct Verdict {
    pub stated: OtherCore,
    pub seconds: f64,
    /// Cores other processes used on average.
    pub foreign_cores: f64,
    /// Cores the hog got on average (0 when idle).
    pub hog_cores: f64,
}

impl Verdict {
    /// Whether the run was in the stated state, so its numbers are figures.
    pub fn stands(&self) -> bool {
        self.foreign_cores <= FOREIGN_LIMIT
            && (self.stated == OtherCore::Idle || self.hog_cores >= HOG_FLOOR)
    }

    /// One line saying so.
    pub fn line(&self) -> String {
        let what = format!(
            "other core stated {}; over {:.0} s other processes used {:.2} cores{}",
            self.stated.label(),
            self.seconds,
            self.foreign_cores,
            if self.stated == OtherCore::Busy {
                format!(", the hog {:.2}", self.hog_cores)
            } else {
                String::new()
            }
        );
        if self.stands() {
            format!("machine: {what}: the numbers above are figures")
        } else {
            format!(
                "machine: {what}: NOT FIGURES (other processes must stay under {FOREIGN_LIMIT} of a core{})",
                if self.stated == OtherCore::Busy {
                    format!(" and the hog get at least {HOG_FLOOR}")
                } else {
                    String::new()
                }
            )
        }
    }
}

impl Machine {
    /// Prints the load average, starts the hog when the other core is to be busy, and notes
    /// the counters.
    pub fn start(stated: OtherCore) -> Self {
        println!("load average at start: {}", load_average());
        println!("other core: {}", stated.label());
        let hog = (stated == OtherCore::Busy).then(|| {
            Command::new("sh")
                .args(["-c", "while :; do :; done"])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start the CPU hog (sh)")
        });
        Self {
            stated,
            hog,
            started: Instant::now(),
            busy_at_start: machine_busy_ticks(),
            own_at_start: own_ticks() + database_ticks(),
        }
    }

    /// Stops the hog and says whether the run stayed in the stated state.
    pub fn finish(mut self) -> Verdict {
        let seconds = self.started.elapsed().as_secs_f64().max(0.001);
        let hog_ticks = match self.hog.as_mut() {
            Some(hog) => {
                let ticks = ticks_of(hog.id());
                let _ = hog.kill();
                let _ = hog.wait();
                ticks
            }
            None => 0,
        };
        let busy = machine_busy_ticks().saturating_sub(self.busy_at_start);
        let own = (own_ticks() + database_ticks()).saturating_sub(self.own_at_start);
        let hz = clock_ticks_per_second();
        Verdict {
            stated: self.stated,
            seconds,
            foreign_cores: busy.saturating_sub(own) as f64 / hz / seconds,
            hog_cores: hog_ticks as f64 / hz / seconds,
        }
    }
}

impl Drop for Machine {
    fn drop(&mut self) {
        if let Some(hog) = self.hog.as_mut() {
            let _ = hog.kill();
            let _ = hog.wait();
        }
    }
}

/// The 1, 5 and 15 minute load averages.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

fn clock_ticks_per_second() -> f64 {
    // SAFETY: sysconf reads a constant of the system; it has no preconditions.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if hz > 0 {
        hz as f64
    } else {
        100.0
    }
}

/// Ticks every CPU spent busy since boot (user, nice, system, irq, softirq, steal).
fn machine_busy_ticks() -> u64 {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let Some(line) = stat.lines().find(|l| l.starts_with("cpu ")) else {
        return 0;
    };
    let f: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .filter_map(|v| v.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal
    [0, 1, 2, 5, 6, 7].iter().filter_map(|&i| f.get(i)).sum()
}

/// The fields of `/proc/PID/stat` after the command name (which may hold spaces).
fn stat_fields(pid: &str) -> Vec<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    stat.rsplit_once(')')
        .map(|(_, rest)| {
            rest.split_whitespace()
                .map(|v| v.parse().unwrap_or(0))
                .collect()
        })
        .unwrap_or_default()
}

/// utime + stime of a process (fields 14 and 15; the 12th and 13th after the name).
fn ticks_of(pid: u32) -> u64 {
    let f = stat_fields(&pid.to_string());
    f.get(11).copied().unwrap_or(0) + f.get(12).copied().unwrap_or(0)
}

/// This process's ticks and those of the children it has waited for.
fn own_ticks() -> u64 {
    stat_fields("self").iter().skip(11).take(4).sum()
}

/// What the PostgreSQL server's processes used since they started, with the backends they
/// have reaped (utime, stime, cutime, cstime of every process named `postgres`).
fn database_ticks() -> u64 {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return 0;
    };
    dir.filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|pid| pid.bytes().all(|b| b.is_ascii_digit()))
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .is_ok_and(|name| name.trim() == "postgres")
        })
        .map(|pid| stat_fields(&pid).iter().skip(11).take(4).sum::<u64>())
        .sum()
}
