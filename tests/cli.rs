//! The command line as a secretary uses it: the real `branchbot` binary against a fresh SQLite
//! file, in a fresh working directory, with the locale set explicitly. Each test asserts what a
//! person sees (the lines printed, the exit code) and what the database then holds.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use branchbot::store::{bindings, members, Store};
use branchbot::testkit::db::TempSqlite;

const COLLEGE: &str = include_str!("../examples/college.csv");
const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");

/// A fresh database and working directory, and the locale the bot is asked to speak.
struct Bot {
    /// Held so that the file is deleted when the test ends.
    _db: TempSqlite,
    dir: tempfile::TempDir,
    locale: &'static str,
    database: String,
    env: Vec<(&'static str, String)>,
}

/// What one run printed and how it ended.
#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// Asserts the run ended with exit code 0, showing what it printed when not.
    #[track_caller]
    fn succeeded(&self) {
        self.ended_with(0);
    }

    /// Asserts the run ended with `code` (2: the person's mistake), showing what it printed
    /// when not.
    #[track_caller]
    fn ended_with(&self, code: i32) {
        assert_eq!(self.code, code, "{self:?}");
    }

    fn stdout_lines(&self) -> Vec<&str> {
        self.stdout.lines().collect()
    }

    fn stderr_lines(&self) -> Vec<&str> {
        self.stderr.lines().collect()
    }
}

impl Bot {
    fn new(locale: &'static str) -> Self {
        let db = TempSqlite::new();
        Self {
            database: db.url.clone(),
            _db: db,
            dir: tempfile::tempdir().expect("a temporary directory"),
            locale,
            env: Vec::new(),
        }
    }

    /// The example college, already imported.
    fn with_college(locale: &'static str) -> Self {
        let bot = Self::new(locale);
        bot.file("college.csv", COLLEGE.as_bytes());
        let run = bot.run(&["import", "college.csv"]);
        run.succeeded();
        bot
    }

    fn set_env(mut self, name: &'static str, value: &str) -> Self {
        self.env.push((name, value.to_owned()));
        self
    }

    /// Writes a file into the working directory, as a person would save it there.
    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).expect("writing a test file");
        path
    }

    /// Copies a file from `tests/data` into the working directory.
    fn data_file(&self, name: &str) {
        let bytes = std::fs::read(Path::new(DATA).join(name)).expect("reading test data");
        self.file(name, &bytes);
    }

    fn run(&self, args: &[&str]) -> Run {
        self.run_with_input(args, "")
    }

    fn run_with_input(&self, args: &[&str], input: &str) -> Run {
        let mut command = Command::new(env!("CARGO_BIN_EXE_branchbot"));
        // Nothing from the developer's environment: no token, no configuration, no database.
        for (name, _) in std::env::vars() {
            if name.starts_with("BRANCHBOT_")
                || name.starts_with("TELOXIDE_")
                || name == "DATABASE_URL"
            {
                command.env_remove(name);
            }
        }
        command
            .current_dir(self.dir.path())
            .env("BRANCHBOT_LOCALE", self.locale)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .arg("--database")
            .arg(&self.database)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("the branchbot binary starts");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("writing stdin");
        let output = child.wait_with_output().expect("branchbot finishes");
        Run {
            code: output.status.code().expect("an exit code, not a signal"),
            stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        }
    }

    /// The active members' rows, as `branchbot members` prints them.
    fn members(&self) -> Vec<String> {
        let run = self.run(&["members"]);
        run.succeeded();
        run.stdout_lines().into_iter().map(str::to_owned).collect()
    }

    /// Binds a member to a Telegram chat directly in the database, as redeeming a code would.
    fn bind_telegram(&self, key: &str, chat: &str) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let store = Store::open(&self.database).await.unwrap();
            let mut conn = store.pool().acquire().await.unwrap();
            let member = members::find(&mut conn, key)
                .await
                .unwrap()
                .expect("the member exists");
            bindings::bind(&mut conn, "telegram", chat, member.id, 0)
                .await
                .unwrap();
            drop(conn);
            store.close().await;
        });
    }
}

/// The example roster without the given keys' lines.
fn college_without(keys: &[&str]) -> String {
    COLLEGE
        .lines()
        .filter(|line| !keys.iter().any(|k| line.starts_with(&format!("{k},"))))
        .map(|line| format!("{line}\n"))
        .collect()
}

fn is_invite_code(code: &str) -> bool {
    let alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    code.len() == 9
        && code.char_indices().all(|(i, c)| {
            if i == 4 {
                c == '-'
            } else {
                alphabet.contains(c)
            }
        })
}

#[test]
fn importing_the_example_college_says_what_was_created() {
    let bot = Bot::new("zh-CN");
    bot.file("college.csv", COLLEGE.as_bytes());
    let run = bot.run(&["import", "college.csv"]);
    run.succeeded();
    assert_eq!(
        run.stdout_lines(),
        ["college.csv：导入完成。新建 3 个党支部、6 个党小组；新增 30 名成员，更新 0 名，0 名不变。"]
    );
    assert_eq!(run.stderr, "");
    assert_eq!(bot.members().len(), 30);
}

#[test]
fn importing_in_english_counts_in_english() {
    let bot = Bot::new("en");
    bot.file("college.csv", COLLEGE.as_bytes());
    let run = bot.run(&["import", "college.csv"]);
    assert_eq!(
        run.stdout_lines(),
        ["college.csv: 3 branches and 6 party groups created; 30 members added, 0 updated, 0 unchanged."]
    );
}

#[test]
fn importing_the_same_file_again_adds_nobody() {
    let bot = Bot::with_college("zh-CN");
    let run = bot.run(&["import", "college.csv"]);
    run.succeeded();
    assert_eq!(
        run.stdout_lines(),
        ["college.csv：导入完成。新建 0 个党支部、0 个党小组；新增 0 名成员，更新 0 名，30 名不变。"]
    );
    assert_eq!(bot.members().len(), 30);
}

#[test]
fn a_file_saved_in_gbk_is_refused_whole_and_nothing_is_written() {
    let bot = Bot::new("zh-CN");
    // "编号,姓名,角色\nT1,王建国,党员\n" as Excel on a Chinese Windows saves it: GBK, not UTF-8.
    let mut gbk = b"\xb1\xe0\xba\xc5,\xd0\xd5\xc3\xfb,\xbd\xc7\xc9\xab\n".to_vec();
    gbk.extend_from_slice(b"T1,\xcd\xf5\xbd\xa8\xb9\xfa,\xb5\xb3\xd4\xb1\n");
    bot.file("gbk.csv", &gbk);
    let run = bot.run(&["import", "gbk.csv"]);
    run.ended_with(2);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr_lines(),
        [
            "gbk.csv：发现 1 处问题，整个文件未导入，数据库没有任何改动：",
            "  第 1 行：表头不是 UTF-8 编码；请把文件另存为 UTF-8 编码（Excel 中选“另存为”→“CSV UTF-8（逗号分隔）”）",
            "请改正文件后重新导入。",
        ]
    );
    assert!(bot.members().is_empty());
}

#[test]
fn a_stray_invalid_byte_in_a_cell_is_named_by_line_and_column() {
    let bot = Bot::new("en");
    bot.file("roster.csv", b"key,name,role\nT1,Wang\xff,masses\n");
    let run = bot.run(&["import", "roster.csv"]);
    run.ended_with(2);
    assert_eq!(
        run.stderr_lines(),
        [
            "roster.csv: refused, nothing was imported (2 problems):",
            "  line 2, column 'name': not valid UTF-8; save the file as UTF-8",
            "  line 2, column 'name': empty; write the member's name",
            "Correct the file and import it again.",
        ]
    );
    assert!(bot.members().is_empty());
}

#[test]
fn a_byte_order_mark_and_mixed_line_endings_import_as_if_they_were_not_there() {
    let bot = Bot::new("en");
    let file = "\u{feff}编号,姓名,支部,支部类型,角色,手机\r\n\
                T1,王建国,一支部,教师,书记,13800010001\n\
                T2,Emily Carter,一支部,,党员,\r\n\
                T3,李秀英,一支部,,党员,13800010003\r\n";
    bot.file("excel.csv", file.as_bytes());
    let run = bot.run(&["import", "excel.csv"]);
    run.succeeded();
    assert_eq!(
        run.stdout_lines(),
        ["excel.csv: 1 branch and 0 party groups created; 3 members added, 0 updated, 0 unchanged."]
    );
    let run = bot.run(&["members", "--csv"]);
    assert_eq!(
        run.stdout_lines(),
        [
            "key,name,branch,group,role,mobile,telegram",
            "T1,王建国,一支部,,secretary,+86138****0001,no",
            "T2,Emily Carter,一支部,,member,,no",
            "T3,李秀英,一支部,,member,+86138****0003,no",
        ]
    );
}

#[test]
fn a_roster_with_problems_is_refused_whole_with_one_line_per_problem() {
    let bot = Bot::with_college("zh-CN");
    let before = bot.members();
    bot.data_file("roster-problems.csv");
    let run = bot.run(&["import", "roster-problems.csv"]);
    run.ended_with(2);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr_lines(),
        [
            "roster-problems.csv：发现 4 处问题，整个文件未导入，数据库没有任何改动：",
            "  第 3 行，“角色”列：“主席”不是可用的角色；请填写以下之一：书记、副书记、支委、党小组长、党员、预备党员、入党积极分子、群众",
            "  第 4 行，“手机”列：“1381234”不是手机号：位数不对（7 位）；请写 11 位的中国大陆手机号（如 13812345678），或写 + 加国家代码（如 +8613812345678）",
            "  第 5 行，“手机”列：+8613800010002 已在第 3 行用过；两位成员不能共用一个手机号",
            "  第 6 行，“编号”列：“T003”已在第 4 行用过；编号不能重复",
            "请改正文件后重新导入。",
        ]
    );
    // Line 2 alone was fine (a new name for T001), and it was not applied either.
    assert_eq!(bot.members(), before);
    assert!(
        before.iter().any(|m| m.starts_with("T001\t王建国\t")),
        "{before:?}"
    );
}

#[test]
fn a_roster_with_problems_is_explained_in_english_too() {
    let bot = Bot::new("en");
    bot.data_file("roster-problems.csv");
    let run = bot.run(&["import", "roster-problems.csv"]);
    run.ended_with(2);
    assert_eq!(
        run.stderr_lines(),
        [
            "roster-problems.csv: refused, nothing was imported (4 problems):",
            "  line 3, column 'role': '主席' is not a role; use one of: secretary, deputy_secretary, committee_member, group_leader, member, probationary, activist, masses (or 书记, 副书记, 支委, 党小组长, 党员, 预备党员, 入党积极分子, 群众)",
            "  line 4, column 'mobile': '1381234' is not a phone number: it has 7 digits; write an 11-digit Chinese mobile number (13812345678) or + and the country code (+8613812345678)",
            "  line 5, column 'mobile': +8613800010002 is already used on line 3; two members cannot share a mobile number",
            "  line 6, column 'key': 'T003' is already used on line 4; keys must be unique",
            "Correct the file and import it again.",
        ]
    );
    assert!(bot.members().is_empty());
}

#[test]
fn quotes_commas_and_sql_in_names_import_verbatim() {
    let bot = Bot::new("en");
    bot.data_file("roster-quotes-and-sql.csv");
    let run = bot.run(&["import", "roster-quotes-and-sql.csv"]);
    run.succeeded();
    assert_eq!(
        run.stdout_lines(),
        ["roster-quotes-and-sql.csv: 1 branch and 0 party groups created; 3 members added, 0 updated, 0 unchanged."]
    );
    let branch = "支部'); DROP TABLE branches;--";
    assert_eq!(
        bot.members(),
        [
            format!("Q'1\tRobert'); DROP TABLE members;--\t{branch}\t-\tmember\t-\tno"),
            format!("Q002\tO'Brien, \"Pat\"\t{branch}\t-\tmember\t-\tno"),
            format!("Q003\t张\"三\"；' OR '1'='1\t{branch}\t-\tnon-member\t-\tno"),
        ]
    );
    // The CSV output quotes them back so that a spreadsheet reads the same names.
    let run = bot.run(&["members", "--branch", branch, "--csv"]);
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let names: Vec<String> = reader.records().map(|r| r.unwrap()[1].to_owned()).collect();
    assert_eq!(
        names,
        [
            "Robert'); DROP TABLE members;--",
            "O'Brien, \"Pat\"",
            "张\"三\"；' OR '1'='1"
        ]
    );
}

#[test]
fn a_dry_run_reports_what_would_change_and_writes_nothing() {
    let bot = Bot::new("zh-CN");
    bot.file("college.csv", COLLEGE.as_bytes());
    let run = bot.run(&["import", "--dry-run", "college.csv"]);
    run.succeeded();
    assert_eq!(
        run.stdout_lines(),
        ["试运行，没有写入任何内容。college.csv：将新建 3 个党支部、6 个党小组；将新增 30 名成员，更新 0 名，0 名不变。"]
    );
    assert!(bot.members().is_empty());
    // Not even the branches: a real import still creates all three.
    let run = bot.run(&["import", "college.csv"]);
    assert!(
        run.stdout.contains("新建 3 个党支部、6 个党小组"),
        "{run:?}"
    );
}

#[test]
fn members_missing_from_the_file_are_reported_and_marked_as_left_only_with_prune() {
    let bot = Bot::with_college("zh-CN");
    bot.file("smaller.csv", college_without(&["T009", "T010"]).as_bytes());

    let run = bot.run(&["import", "smaller.csv"]);
    run.succeeded();
    assert_eq!(
        run.stdout_lines(),
        [
            "smaller.csv：导入完成。新建 0 个党支部、0 个党小组；新增 0 名成员，更新 0 名，28 名不变。",
            "有 2 名在册成员不在这个文件里：T009、T010。如要把他们标记为已离开，请加上 --prune 重新导入。",
        ]
    );
    assert_eq!(bot.members().len(), 30);

    let run = bot.run(&["import", "--prune", "--dry-run", "smaller.csv"]);
    assert_eq!(
        run.stdout_lines()[1],
        "将把不在文件里的 2 名成员标记为已离开：T009、T010"
    );
    assert_eq!(bot.members().len(), 30);

    let run = bot.run(&["import", "--prune", "smaller.csv"]);
    run.succeeded();
    assert_eq!(
        run.stdout_lines()[1],
        "不在文件里的 2 名成员已标记为已离开：T009、T010"
    );
    let members = bot.members();
    assert_eq!(members.len(), 28);
    assert!(!members
        .iter()
        .any(|m| m.starts_with("T009\t") || m.starts_with("T010\t")));
    assert_eq!(bot.run(&["chat", "--as", "T009"]).code, 2);
}

#[test]
fn a_mobile_number_held_by_a_member_left_out_of_the_file_is_refused() {
    let bot = Bot::with_college("en");
    bot.file("newcomer.csv", "key,name,branch,branch_kind,role,mobile\nS999,新同学,学生第一党支部,student,党员,13800010001\n".as_bytes());
    let run = bot.run(&["import", "newcomer.csv"]);
    run.ended_with(2);
    assert_eq!(
        run.stderr_lines(),
        [
            "newcomer.csv: refused, nothing was imported (1 problem):",
            "  line 2, column 'mobile': +8613800010001 belongs to member 'T001', who is not in this file; add that member to the file (with their new number) or check this number",
            "Correct the file and import it again.",
        ]
    );
    assert_eq!(bot.members().len(), 30);
}

#[test]
fn an_invite_prints_a_code_and_a_telegram_link_for_the_member() {
    let bot =
        Bot::with_college("zh-CN").set_env("BRANCHBOT_TELEGRAM_USERNAME", "college_branch_bot");
    let run = bot.run(&["invite", "T001"]);
    run.succeeded();
    let lines = run.stdout_lines();
    assert_eq!(lines.len(), 1, "{run:?}");
    let cells: Vec<&str> = lines[0].split('\t').collect();
    assert_eq!(cells[..2], ["T001", "王建国"]);
    assert!(is_invite_code(cells[2]), "{}", cells[2]);
    assert_eq!(
        cells[3],
        format!("https://t.me/college_branch_bot?start={}", cells[2])
    );
    let footer = run.stderr_lines();
    assert_eq!(footer[0], "编号\t姓名\t邀请码\t链接");
    assert!(
        footer[1].starts_with("邀请码只能用一次，有效期至 "),
        "{footer:?}"
    );
    assert!(
        footer[1].ends_with("。成员在 Telegram 中打开链接，或向机器人发送：/start 邀请码"),
        "{footer:?}"
    );
    assert_eq!(footer.len(), 2);
}

#[test]
fn without_a_bot_username_the_link_says_where_it_goes() {
    let bot = Bot::with_college("en");
    let run = bot.run(&["invite", "13800010002"]);
    run.succeeded();
    let cells: Vec<&str> = run.stdout.trim_end().split('\t').collect();
    assert_eq!(cells[..2], ["T002", "李秀英"]);
    assert_eq!(
        cells[3],
        format!("https://t.me/<bot username>?start={}", cells[2])
    );
    assert_eq!(
        run.stderr_lines().last().copied(),
        Some("(Set telegram.username or TELOXIDE_TOKEN to print the bot's real username in the links.)")
    );
}

#[test]
fn inviting_a_branch_makes_one_code_for_each_member_who_has_not_bound() {
    let bot = Bot::with_college("en").set_env("BRANCHBOT_TELEGRAM_USERNAME", "college_branch_bot");
    bot.bind_telegram("S201", "1001");
    let run = bot.run(&["invite", "--branch", "学生第二党支部"]);
    run.succeeded();
    let keys: Vec<&str> = run
        .stdout_lines()
        .iter()
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert_eq!(
        keys,
        ["S202", "S203", "S204", "S205", "S206", "S207", "S208", "S209", "S210"]
    );
    let mut codes: Vec<&str> = run
        .stdout_lines()
        .iter()
        .map(|l| l.split('\t').nth(2).unwrap())
        .collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), 9);
    // One audit row names the branch and the nine members.
    let run = bot.run(&["audit", "--action", "invites_issued", "--csv"]);
    assert_eq!(run.stdout_lines().len(), 2, "{run:?}");
    assert!(
        run.stdout_lines()[1].contains(
            "invite codes issued,branch:学生第二党支部,\"9 · S202,S203,S204,S205,S206,S207,S208,S209,S210\""
        ),
        "{run:?}"
    );
}

#[test]
fn unbound_lists_the_ten_members_of_the_second_student_branch() {
    let bot = Bot::with_college("zh-CN");
    let run = bot.run(&["unbound", "--branch", "学生第二党支部"]);
    run.succeeded();
    let rows = run.stdout_lines();
    assert_eq!(rows.len(), 10);
    // No SMS gateway is configured: a mobile number alone reaches nobody.
    assert_eq!(
        rows[0],
        "S201\t谢文博\t学生第二党支部\t有手机号但未接短信网关"
    );
    assert_eq!(rows[8], "S209\t吕思远\t学生第二党支部\t无手机号");
    assert_eq!(
        run.stderr_lines(),
        [
            "学生第二党支部：有 10 人尚未绑定账号：",
            "编号\t姓名\t支部\t联系方式",
            "生成邀请码：branchbot invite 编号；为整个支部生成：branchbot invite --branch 支部名称",
        ]
    );
}

#[test]
fn unbound_as_csv_has_a_header_row_and_leaves_out_members_who_have_bound() {
    let bot = Bot::with_college("en");
    bot.bind_telegram("S203", "2003");
    let run = bot.run(&["unbound", "--branch", "学生第二党支部", "--csv"]);
    run.succeeded();
    let rows = run.stdout_lines();
    assert_eq!(rows[0], "key,name,branch,contact");
    // No SMS gateway is configured: the number alone reaches nobody.
    assert_eq!(
        rows[1],
        "S201,谢文博,学生第二党支部,mobile number but no SMS gateway"
    );
    assert_eq!(rows.len(), 10);
    assert!(!run.stdout.contains("S203"));
    assert_eq!(
        run.stderr_lines()[0],
        "学生第二党支部: 9 members have not linked an account:"
    );
}

#[test]
fn members_shows_roles_in_the_reader_s_language_masked_mobiles_and_who_has_bound() {
    let bot = Bot::with_college("en");
    bot.bind_telegram("T001", "5001");
    let run = bot.run(&["members", "--branch", "教工第一党支部"]);
    run.succeeded();
    let rows = run.stdout_lines();
    assert_eq!(rows.len(), 10);
    assert_eq!(
        rows[0],
        "T001\t王建国\t教工第一党支部\t第一党小组\tsecretary\t+86138****0001\tyes"
    );
    assert_eq!(
        rows[6],
        "T007\t赵敏\t教工第一党支部\t第二党小组\tmember\t-\tno"
    );
    assert_eq!(
        run.stderr_lines(),
        [
            "教工第一党支部: 10 active members:",
            "key\tname\tbranch\tgroup\trole\tmobile\ttelegram"
        ]
    );

    let zh = Bot {
        locale: "zh-CN",
        ..bot
    };
    let run = zh.run(&["members", "--branch", "教工第一党支部"]);
    assert_eq!(
        run.stdout_lines()[1],
        "T002\t李秀英\t教工第一党支部\t第一党小组\t副书记\t+86138****0002\t否"
    );
}

#[test]
fn a_branch_that_does_not_exist_is_a_mistake_that_lists_the_branches() {
    let bot = Bot::with_college("zh-CN");
    for command in ["members", "unbound", "invite"] {
        let run = bot.run(&[command, "--branch", "第九党支部"]);
        assert_eq!(run.code, 2, "{command}: {run:?}");
        assert_eq!(
            run.stderr_lines(),
            ["没有名为“第九党支部”的支部。现有支部：学生第一党支部、学生第二党支部、教工第一党支部"]
        );
        assert_eq!(run.stdout, "");
    }
}

#[test]
fn chat_as_a_member_answers_help_and_me_in_the_member_s_language() {
    let bot = Bot::with_college("en");
    let run = bot.run_with_input(&["chat", "--as", "T001"], "/help\n/me\n");
    run.succeeded();
    let lines = run.stdout_lines();
    // T001 reads Chinese (the roster says so), whatever the organisation's locale.
    assert_eq!(lines[0], "您正在以 王建国（教工第一党支部 · 书记）的身份和机器人对话。输入 /help 查看命令，按 Ctrl-D 退出。");
    assert_eq!(lines[1], "bot › 王建国，您可以：");
    assert!(lines.contains(&"      /me 查看我的信息"), "{lines:#?}");
    assert!(
        lines.contains(&"      /unbound 查看所有支部还没有绑定的成员"),
        "{lines:#?}"
    );
    let me = lines
        .iter()
        .position(|l| *l == "bot › 姓名：王建国")
        .expect("the profile");
    assert_eq!(
        lines[me + 1..],
        [
            "      编号：T001",
            "      党支部：教工第一党支部",
            "      党小组：第一党小组",
            "      身份：书记",
            "      学院党委委员：是",
            "      手机：+86138****0001",
            "      语言：中文",
        ]
    );
}

#[test]
fn chat_as_an_english_speaking_member_answers_in_english() {
    let bot = Bot::with_college("zh-CN");
    let run = bot.run_with_input(&["chat", "--as", "T009"], "/me\n");
    run.succeeded();
    assert!(
        run.stdout_lines().contains(&"bot › Name: Emily Carter"),
        "{run:?}"
    );
    assert!(
        run.stdout_lines().contains(&"      Role: member"),
        "{run:?}"
    );
}

#[test]
fn chat_as_someone_not_on_the_roster_exits_2_and_says_how_to_find_them() {
    let bot = Bot::with_college("zh-CN");
    let run = bot.run(&["chat", "--as", "NOPE"]);
    run.ended_with(2);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr_lines(),
        ["没有编号或手机号为“NOPE”的在册成员。请核对编号（查看名单：branchbot members），或先导入名单：branchbot import 文件"]
    );

    let en = Bot {
        locale: "en",
        ..bot
    };
    let run = en.run(&["chat", "--as", "NOPE"]);
    run.ended_with(2);
    assert_eq!(
        run.stderr_lines(),
        ["There is no active member with key or mobile number 'NOPE'. Check the key (list the roster with: branchbot members), or import a roster first: branchbot import FILE"]
    );
}

#[test]
fn a_missing_file_and_a_missing_target_are_mistakes_with_exit_code_2() {
    let bot = Bot::new("zh-CN");
    let run = bot.run(&["import", "名单.csv"]);
    assert_eq!(
        (run.code, run.stderr_lines()),
        (2, vec!["找不到文件“名单.csv”。请检查路径。"])
    );
    let run = bot.run(&["invite"]);
    assert_eq!(
        (run.code, run.stderr_lines()),
        (2, vec!["请指定一名成员（branchbot invite 编号）或一个支部（branchbot invite --branch 支部名称）。"])
    );
}

#[test]
fn a_bad_database_url_is_a_mistake_and_its_password_is_never_printed() {
    let bot = Bot {
        database: "mysql://bot:s3cret@db.example.org/branchbot".into(),
        ..Bot::new("en")
    };
    let run = bot.run(&["members"]);
    run.ended_with(2);
    assert_eq!(
        run.stderr.trim_end(),
        "Cannot use the database URL 'mysql://bot:***@db.example.org/branchbot': write sqlite://FILE or postgres://USER@HOST/DATABASE."
    );
}

#[test]
fn a_bad_locale_in_the_environment_is_a_configuration_mistake() {
    let bot = Bot::new("fr");
    let run = bot.run(&["members"]);
    run.ended_with(2);
    assert_eq!(
        run.stderr_lines(),
        ["配置有误：环境变量 BRANCHBOT_LOCALE 的值“fr”无法识别，可用 zh-CN 或 en。"]
    );
}

#[test]
fn a_mistyped_setting_is_named_in_the_reader_s_language_with_its_line() {
    let bot = Bot::new("zh-CN");
    bot.file(
        "branchbot.toml",
        b"org_name = \"\xe5\xad\xa6\xe9\x99\xa2\xe5\x85\x9a\xe5\xa7\x94\"\n\n[dashboard]\ncolour = \"red\"\n",
    );
    let run = bot.run(&["members"]);
    run.ended_with(2);
    let said = run.stderr_lines().join("\n");
    assert!(
        said.starts_with(
            "配置有误：branchbot.toml 第 4 行没有“colour”这个设置项。这里可用的设置项："
        ),
        "{said}"
    );
    assert!(!said.contains("unknown field"), "{said}");
    bot.file("branchbot.toml", b"[delivery]\nmax_attempts = \"three\"\n");
    let run = bot.run(&["members"]);
    assert_eq!(
        run.stderr_lines(),
        ["配置有误：branchbot.toml 第 2 行的值类型不对：max_attempts = \"three\"。请对照 README 的 Configuration 一节修改（文字要加引号，数字和 true/false 不加）。"]
    );
}

#[test]
fn the_wecom_check_without_wecom_configured_says_what_to_set_in_the_reader_s_language() {
    for (locale, expected) in [
        ("zh-CN", "配置有误：feedback.web_check 设为 wecom 时，要通过企业微信确认评价人，但尚未配置企业微信。请设置 BRANCHBOT_WECOM_CORP_ID、BRANCHBOT_WECOM_AGENT_ID、BRANCHBOT_WECOM_SECRET、BRANCHBOT_WECOM_TOKEN 和 BRANCHBOT_WECOM_AES_KEY（见 README 的“Connecting WeCom”一节），或把 web_check 改为 sms（需配置短信网关）或 device。"),
        ("en", "Configuration error: feedback.web_check = \"wecom\" lets people rate on the feedback page through WeCom, but WeCom is not configured. Set BRANCHBOT_WECOM_CORP_ID, BRANCHBOT_WECOM_AGENT_ID, BRANCHBOT_WECOM_SECRET, BRANCHBOT_WECOM_TOKEN and BRANCHBOT_WECOM_AES_KEY (see Connecting WeCom in the README), or use web_check = \"sms\" (with an SMS gateway) or \"device\"."),
    ] {
        let bot = Bot::new(locale);
        bot.file("branchbot.toml", b"[feedback]\nweb_check = \"wecom\"\n");
        let run = bot.run(&["members"]);
        run.ended_with(2);
        assert_eq!(run.stderr_lines(), [expected], "{locale}");
    }
}

/// The loader's own checks as the operator reads them: the setting and its value, in the
/// reader's language, under the same hint as a TOML mistake; one case per family of settings
/// (the core, SMS, the feedback page, WeCom, the environment, the file itself).
#[test]
fn a_value_the_loader_refuses_is_named_with_its_setting_in_the_reader_s_language() {
    let bot = Bot::new("zh-CN");
    let hint = "请检查 branchbot.toml（或 BRANCHBOT_CONFIG 指定的文件）和 BRANCHBOT_* 环境变量。";
    for (toml, said) in [
        (
            "[meetings]\nremind_before = [\"1d\", \"soon\"]\n",
            "配置有误：meetings.remind_before 中的“soon”不是有效的提前时间，请写成 \"3d\"、\"1h\"、\"90m\"（天、小时、分钟）或正的分钟数。",
        ),
        (
            "[delivery]\nmax_attempts = 0\n",
            "配置有误：delivery.max_attempts 至少为 1（现在是 0）。",
        ),
        (
            "timezone = \"Beijing\"\n",
            "配置有误：timezone 的值“Beijing”不是时区名称，请写成 Asia/Shanghai 这样的形式。",
        ),
        (
            "[sms]\ngateway = \"android\"\n",
            "配置有误：sms.gateway 设为“android”时，需要设置 sms.android.base_url（或 BRANCHBOT_SMS_BASE_URL）。",
        ),
        (
            "[feedback]\nweb_check = \"sms\"\n",
            "配置有误：feedback.web_check 设为“sms”时，需要连接短信网关（[sms] 中的 gateway 设为“twilio”、“android”或“generic”）；没有短信网关时请设为“device”。",
        ),
        (
            "[wecom]\ncorp_id = \"ww5823bf96d3bd56c7\"\nagent_id = 1000002\n",
            "配置有误：企业微信只配置了一部分，还缺少：BRANCHBOT_WECOM_SECRET、BRANCHBOT_WECOM_TOKEN、BRANCHBOT_WECOM_AES_KEY。企业ID、AgentId、Secret、Token 和 EncodingAESKey 都设置后，企业微信才会开启。",
        ),
    ] {
        bot.file("branchbot.toml", toml.as_bytes());
        let run = bot.run(&["members"]);
        run.ended_with(2);
        assert_eq!(run.stderr_lines(), [said, hint], "{toml}");
    }
    std::fs::remove_file(bot.dir.path().join("branchbot.toml")).unwrap();
    let bot = bot.set_env("BRANCHBOT_SMS_DAILY_CAP", "0");
    let run = bot.run(&["members"]);
    run.ended_with(2);
    assert_eq!(
        run.stderr_lines(),
        [
            "配置有误：环境变量 BRANCHBOT_SMS_DAILY_CAP 的值有误：“0”不是正整数。",
            hint
        ]
    );
    let run = bot.run(&["--config", "nowhere.toml", "members"]);
    run.ended_with(2);
    assert_eq!(
        run.stderr_lines(),
        ["配置有误：找不到配置文件“nowhere.toml”。请检查 --config 或 BRANCHBOT_CONFIG 给出的路径。"]
    );
    // In English when the operator's locale is English, with the same setting and value.
    let bot = Bot::new("en");
    bot.file("branchbot.toml", b"[delivery]\nmax_attempts = 0\n");
    let run = bot.run(&["members"]);
    run.ended_with(2);
    assert_eq!(
        run.stderr_lines(),
        [
            "Configuration problem: delivery.max_attempts must be at least 1 (it is 0)",
            "Check branchbot.toml (or the file in BRANCHBOT_CONFIG) and the BRANCHBOT_* environment variables."
        ]
    );
}

/// Writes and approves pledges directly in the store, as the chat flow would.
fn approve_pledges(bot: &Bot, pledges: &[(&str, &[(&str, &str)])]) {
    use branchbot::pledges::store::{self as pledges, NewItem};
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let store = Store::open(&bot.database).await.unwrap();
        let mut tx = store.begin().await.unwrap();
        let secretary = members::find(&mut tx, "S201").await.unwrap().unwrap();
        for (key, items) in pledges {
            let member = members::find(&mut tx, key).await.unwrap().unwrap();
            let items: Vec<NewItem> = items
                .iter()
                .map(|(way, text)| NewItem {
                    way: (*way).into(),
                    text: (*text).into(),
                    target_date: Some("2026-12-31".into()),
                })
                .collect();
            let (version, _) = pledges::submit(&mut tx, member.id, &items, 1)
                .await
                .unwrap();
            pledges::review(&mut tx, version, secretary.id, true, None, 2)
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
        store.close().await;
    });
}

#[test]
fn report_pledges_exports_the_published_items_with_the_figures_on_stderr() {
    let bot = Bot::with_college("zh-CN");
    approve_pledges(
        &bot,
        &[
            (
                "S203",
                &[
                    ("study", "每月读一本理论书籍"),
                    ("serve", "每周答疑, \"两小时\""),
                ],
            ),
            ("S204", &[("integrity", "廉洁自律")]),
        ],
    );
    let run = bot.run(&["report", "pledges", "--branch", "学生第二党支部", "--csv"]);
    run.succeeded();
    assert_eq!(
        run.stdout_lines(),
        vec![
            "支部,编号,姓名,序号,方面,承诺内容,目标日期",
            "学生第二党支部,S203,唐志强,1,带头学习提高,每月读一本理论书籍,2026-12-31",
            "学生第二党支部,S203,唐志强,2,带头服务师生,\"每周答疑, \"\"两小时\"\"\",2026-12-31",
            "学生第二党支部,S204,韩梅梅,1,带头弘扬正气,廉洁自律,2026-12-31",
        ]
    );
    assert_eq!(
        run.stderr_lines()[..4],
        [
            "学生第二党支部承诺情况",
            "未提交承诺（7）：谢文博、宋雨桐、冯磊、曹雪、彭博、曾晓燕、蒋欣然",
            "待审核（0）：无",
            "还没有进行过践诺填报。",
        ]
    );
    let table = bot.run(&["report", "pledges"]);
    table.succeeded();
    assert_eq!(table.stdout_lines().len(), 3);
    assert!(table.stdout_lines()[2].starts_with("学生第二党支部\tS204\t韩梅梅\t1\t"));
    let unknown = bot.run(&["report", "pledges", "--branch", "第九党支部"]);
    unknown.ended_with(2);
}

#[test]
fn targets_load_refuses_a_bad_file_whole_and_qr_writes_a_plaque() {
    let bot = Bot::with_college("zh-CN");
    bot.file(
        "bad.csv",
        "code,kind,name,building,branch,member,residents\n12号楼,dormitory,12号楼 305,12,,,\nP1,post,岗位,,,,\n"
            .as_bytes(),
    );
    let refused = bot.run(&["targets", "load", "bad.csv"]);
    refused.ended_with(2);
    assert_eq!(
        refused.stderr_lines(),
        vec![
            "bad.csv 未导入，发现 2 个问题：",
            "  第 2 行，“code”列：编号“12号楼”无效：只能用字母、数字、- 和 _，最多 24 个字符",
            "  第 3 行，“member”列：不能为空",
        ]
    );
    bot.file("targets.csv", include_bytes!("../examples/targets.csv"));
    let loaded = bot.run(&["targets", "load", "targets.csv"]);
    assert_eq!(
        loaded.stdout_lines(),
        vec!["已从 targets.csv 导入 10 个评价对象。"]
    );
    let bot = bot.set_env("BRANCHBOT_TELEGRAM_USERNAME", "college_branch_bot");
    // The QR code opens the web page: without a public address there is no plaque.
    let nowhere = bot.run(&["qr", "D12-305", "--out", "."]);
    assert_eq!(nowhere.code, 2, "{nowhere:?}");
    assert!(
        nowhere.stderr.contains("BRANCHBOT_PUBLIC_URL"),
        "{nowhere:?}"
    );
    let bot = bot.set_env("BRANCHBOT_PUBLIC_URL", "https://bot.example.org/");
    let qr = bot.run(&["qr", "D12-305", "--out", "plaques/12号楼"]);
    let has_cjk_font = std::process::Command::new("fc-list")
        .arg(":lang=zh")
        .output()
        .is_ok_and(|o| !o.stdout.is_empty());
    // The folder did not exist: it was made.
    let plaques = bot.dir.path().join("plaques/12号楼");
    let svg = std::fs::read_to_string(plaques.join("D12-305.svg")).expect("the SVG");
    assert!(svg.contains("学生党员示范宿舍 · 12号楼 305"));
    for line in [
        "扫码匿名评价",
        "详见 https://bot.example.org/f/privacy",
        "Telegram：https://t.me/college_branch_bot?start=fb_D12-305",
        "短信：发送“评价 D12-305”",
    ] {
        assert!(svg.contains(line), "{line} on the plaque");
    }
    if has_cjk_font {
        qr.succeeded();
        let png = std::fs::read(plaques.join("D12-305.png")).expect("the PNG");
        assert!(png.starts_with(b"\x89PNG"));
    } else {
        qr.ended_with(2);
        assert!(qr.stderr.contains("fonts-noto-cjk"), "{qr:?}");
    }
    // A folder that cannot be made is a mistake that says it cannot write, not read.
    let blocked = bot.run(&["qr", "D12-305", "--out", "targets.csv/plaques"]);
    blocked.ended_with(2);
    assert!(
        blocked.stderr.starts_with("无法写入 targets.csv/plaques："),
        "{blocked:?}"
    );
    let report = bot.run(&["report", "feedback", "--period", "2026-11", "--csv"]);
    assert_eq!(
        report.stdout_lines()[0],
        "period,code,kind,name,satisfied,fair,dissatisfied,total"
    );
    assert!(
        report
            .stdout
            .contains("2026-11,D12-305,dormitory,12号楼 305,,,,"),
        "{report:?}"
    );
}

#[test]
fn evaluation_open_starts_a_round_for_a_branch_on_the_command_line() {
    let bot = Bot::with_college("zh-CN");
    let opened = bot.run(&[
        "evaluation",
        "open",
        "--branch",
        "学生第二党支部",
        "--from",
        "2026-12-01",
        "--to",
        "2026-12-07",
    ]);
    assert_eq!(
        opened.stdout_lines(),
        vec!["已开启第 1 号评议：学生第二党支部民主评议党员，共 9 人可投票，7 天后截止。已通知 0 人。"],
        "{opened:?}"
    );
    let twice = bot.run(&[
        "evaluation",
        "open",
        "--branch",
        "学生第二党支部",
        "--from",
        "2026-12-05",
        "--to",
        "2026-12-10",
    ]);
    twice.ended_with(2);
    assert_eq!(
        twice.stderr_lines(),
        vec!["该支部同一时段已有这项评议：第 1 号“学生第二党支部民主评议党员”。没有重复开启。"]
    );
    let vote = bot.run(&[
        "evaluation",
        "open",
        "--branch",
        "学生第二党支部",
        "--from",
        "2026-12-01",
        "--to",
        "2026-12-03",
        "--candidates",
        "S203,S999",
    ]);
    vote.ended_with(2);
    assert_eq!(
        vote.stderr_lines(),
        vec!["名册中没有编号或姓名为“S999”的成员。"]
    );
}

#[test]
fn meetings_are_created_listed_cancelled_and_reported_from_the_command_line() {
    let bot = Bot::with_college("zh-CN");
    let run = bot.run(&[
        "meeting",
        "create",
        "--branch",
        "学生第一党支部",
        "--kind",
        "党课",
        "--at",
        "2099-01-10 19:30",
        "--place",
        "图书馆 305",
        "--topic",
        "党史学习",
    ]);
    run.succeeded();
    assert!(run.stdout.starts_with("已创建会议 #1，签到码 "), "{run:?}");
    for (args, said) in [
        (
            ["--kind", "party", "--at", "2099-01-10 19:30"],
            "没有“party”这种会议。可选：general（党员大会）、committee（支委会）、group（党小组会）、lesson（党课）、themed_day（主题党日）、life（组织生活会）、other。",
        ),
        (
            ["--kind", "lesson", "--at", "2099-02-31 19:30"],
            "未能识别时间“2099-02-31 19:30”。请写成 2026-12-03 19:30（本组织时区）。",
        ),
        (
            ["--kind", "lesson", "--at", "2000-01-10 19:30"],
            "“2000-01-10 19:30”已经过去了，请给一个将来的时间。",
        ),
    ] {
        let mut all = vec!["meeting", "create", "--branch", "学生第一党支部"];
        all.extend(args);
        all.extend(["--place", "x", "--topic", "y"]);
        let run = bot.run(&all);
        run.ended_with(2);
        assert_eq!(run.stderr.trim_end(), said);
    }
    let run = bot.run(&["meeting", "list"]);
    assert_eq!(
        run.stdout_lines(),
        ["1\t学生第一党支部\t党课\t2099-01-10 19:30\t图书馆 305\t0/0/9\t已安排"]
    );
    let run = bot.run(&["meeting", "cancel", "1"]);
    assert_eq!(
        run.stdout.trim_end(),
        "会议 #1 已取消，已通知 0 位参会同志。"
    );
    let run = bot.run(&["meeting", "cancel", "1"]);
    assert_eq!(
        (run.code, run.stderr.trim_end()),
        (2, "这个会议已经取消了。")
    );
    let run = bot.run(&[
        "report",
        "meetings",
        "--quarter",
        "2026Q4",
        "--branch",
        "学生第一党支部",
        "--csv",
    ]);
    run.succeeded();
    assert_eq!(
        run.stdout_lines(),
        [
            "党支部,党员大会,支委会,党小组会,党课,主题党日,组织生活会,其他会议,出席率,请假率,有记录,已补学,未补学缺席,未达要求",
            "学生第一党支部,0/1,0/3,0/3,0/1,0/3,0/1,0/0,—,—,0/0,0/0,0,党员大会、支委会、党小组会、党课、主题党日、组织生活会",
        ]
    );
    let run = bot.run(&["report", "meetings", "--quarter", "2026Q9"]);
    assert_eq!(
        (run.code, run.stderr.trim_end()),
        (
            2,
            "未能识别时段“2026Q9”。可以写：2026Q4（季度）、2026-11（月份）、2026（年份），或 2026-10-01..2026-12-31（日期范围，含首尾两天）。"
        )
    );
}

#[test]
fn a_monthly_series_shows_three_dates_then_creates_each_meeting() {
    let bot = Bot::with_college("zh-CN");
    let args = [
        "meeting",
        "series",
        "--branch",
        "学生第一党支部",
        "--kind",
        "themed_day",
        "--cron",
        "0 19 15 * *",
        "--count",
        "4",
        "--place",
        "党员活动室",
        "--topic",
        "主题党日",
    ];
    let run = bot.run(&args);
    run.succeeded();
    assert_eq!(run.stdout_lines().len(), 3, "{run:?}");
    assert!(
        run.stdout_lines().iter().all(|l| l.ends_with("-15 19:00")),
        "{run:?}"
    );
    assert_eq!(
        run.stderr.trim_end(),
        "以上是前三次的时间（共 4 次）。确认无误后加上 --yes 重新运行即可创建。"
    );
    assert_eq!(bot.run(&["meeting", "list"]).stdout_lines().len(), 0);
    let mut yes = args.to_vec();
    yes.push("--yes");
    let run = bot.run(&yes);
    assert_eq!(
        run.stderr.trim_end(),
        "已创建 4 次会议，参会同志会在每次会前收到提醒。"
    );
    assert_eq!(bot.run(&["meeting", "list"]).stdout_lines().len(), 4);
    let mut bad = args.to_vec();
    bad[7] = "0 25 * * *";
    let run = bot.run(&bad);
    run.ended_with(2);
    assert!(
        run.stderr.starts_with("无法使用周期“0 25 * * *”："),
        "{run:?}"
    );
}

#[test]
fn an_import_is_in_the_audit_log_with_the_operator_and_a_dry_run_is_not() {
    let bot = Bot::new("zh-CN").set_env("USER", "zhangsan");
    bot.file("college.csv", COLLEGE.as_bytes());
    assert_eq!(bot.run(&["import", "--dry-run", "college.csv"]).code, 0);
    let run = bot.run(&["audit"]);
    run.succeeded();
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr.trim_end(), "没有符合条件的操作记录。");

    assert_eq!(bot.run(&["import", "college.csv"]).code, 0);
    let run = bot.run(&["audit"]);
    run.succeeded();
    let lines = run.stdout_lines();
    assert_eq!(lines.len(), 1, "{run:?}");
    let cells: Vec<&str> = lines[0].split('\t').collect();
    assert_eq!(
        cells[1..],
        [
            "zhangsan",
            "命令行",
            "导入名册",
            "college.csv",
            "+30 ~0 =0 -0"
        ]
    );
    assert!(
        chrono::NaiveDateTime::parse_from_str(cells[0], "%Y-%m-%d %H:%M").is_ok(),
        "{run:?}"
    );
    assert_eq!(
        run.stderr_lines(),
        [
            "时间\t操作人\t途径\t操作\t对象\t详情",
            "共 1 条记录（时间为 Asia/Shanghai）。"
        ]
    );

    // Filters: by action (as CSV), by a day with nothing in it.
    let run = bot.run(&["audit", "--action", "import", "--csv"]);
    assert_eq!(run.stdout_lines()[0], "时间,操作人,途径,操作,对象,详情");
    assert_eq!(run.stdout_lines().len(), 2, "{run:?}");
    let run = bot.run(&["audit", "--action", "notice-sent"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{run:?}");
    let run = bot.run(&["audit", "--since", "2000-01-01", "--until", "2000-01-31"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{run:?}");
}

#[test]
fn meetings_created_and_cancelled_at_the_command_line_are_in_the_audit_log() {
    let bot = Bot::with_college("zh-CN").set_env("USER", "zhangsan");
    let run = bot.run(&[
        "meeting",
        "create",
        "--branch",
        "学生第二党支部",
        "--kind",
        "lesson",
        "--at",
        "2099-03-05 19:00",
        "--place",
        "图书馆 305",
        "--topic",
        "党课",
    ]);
    run.succeeded();
    assert_eq!(bot.run(&["meeting", "cancel", "1"]).code, 0);
    let run = bot.run(&["audit", "--action", "meeting_created"]);
    let cells: Vec<&str> = run.stdout_lines()[0].split('\t').collect();
    assert_eq!(
        cells[1..],
        [
            "zhangsan",
            "命令行",
            "创建会议",
            "meeting:1",
            "学生第二党支部 · lesson · 2099-03-05 19:00"
        ]
    );
    let run = bot.run(&["audit", "--limit", "1"]);
    assert_eq!(run.stdout_lines().len(), 1, "{run:?}");
    assert!(
        run.stdout_lines()[0].contains("\t取消会议\tmeeting:1\t"),
        "{run:?}"
    );
    // A series is one row, naming the meetings it made.
    let run = bot.run(&[
        "meeting",
        "series",
        "--branch",
        "学生第二党支部",
        "--kind",
        "themed_day",
        "--cron",
        "0 19 15 * *",
        "--count",
        "3",
        "--place",
        "党员活动室",
        "--topic",
        "主题党日",
        "--yes",
    ]);
    run.succeeded();
    let run = bot.run(&["audit", "--action", "meeting_created"]);
    assert_eq!(run.stdout_lines().len(), 2, "{run:?}");
    let cells: Vec<&str> = run.stdout_lines()[1].split('\t').collect();
    assert_eq!(cells[4], "meeting:2..4");
    assert!(
        cells[5].starts_with("学生第二党支部 · themed_day · ") && cells[5].ends_with(" × 3"),
        "{run:?}"
    );
    let run = bot.run(&["spotcheck", "list"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{run:?}");
    assert_eq!(run.stderr.trim_end(), "还没有抽查记录。");
}

#[test]
fn bad_audit_filters_are_mistakes_that_say_what_is_valid() {
    let bot = Bot::with_college("zh-CN");
    let run = bot.run(&["audit", "--action", "deleted"]);
    run.ended_with(2);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr.trim_end(),
        "没有“deleted”这种操作。可用的操作：import (导入名册)、targets_loaded (导入评价对象)、\
         campaign_loaded (导入活动方案)、calendar_loaded (导入节假日安排)、notice_sent (发送通知)、meeting_created (创建会议)、\
         meeting_rescheduled (调整会议时间)、meeting_cancelled (取消会议)、\
         round_opened (开启评议)、round_closed (提前结束评议)、comment_hidden (隐藏评论)、feedback_answered (答复意见)、invites_issued (生成邀请码)、data_exported (导出数据)、\
         spot_check (抽查)、dashboard_login (登录看板)、inbox_retried (重新处理失败的消息)、\
         recruitment_step (记录发展党员环节)、dues_paid (登记党费)、dues_corrected (更正党费记录)、\
         dues_imported (导入党费标准)、dues_keeper (指定收缴党费的同志)、\
         leave_recorded (代请假)、makeup_recorded (登记补学)、activity_logged (登记服务活动)、activity_answered (确认服务活动)、plan_published (公布支部工作方案)、comment_written (撰写领导点评)"
    );
    let run = bot.run(&["audit", "--since", "2026-02-30"]);
    run.ended_with(2);
    assert_eq!(
        run.stderr.trim_end(),
        "无法识别的日期“2026-02-30”，请按 YYYY-MM-DD 填写，例如 2026-11-01。"
    );
    let run = bot.run(&["audit", "--since", "2026-03-02", "--until", "2026-03-01"]);
    run.ended_with(2);
    let run = bot.run(&["audit", "--member", "X999"]);
    run.ended_with(2);
    assert!(run.stderr.contains("X999"), "{run:?}");
    let run = bot.run(&["audit", "--limit", "-3"]);
    run.ended_with(2);

    let english = Bot::with_college("en");
    let run = english.run(&["audit", "--action", "purge"]);
    run.ended_with(2);
    assert!(
        run.stderr
            .starts_with("There is no action \"purge\". Actions: import (roster imported), "),
        "{run:?}"
    );
}

#[test]
fn loading_targets_and_a_campaign_opening_a_round_and_sending_a_notice_are_audited() {
    let bot = Bot::new("zh-CN").set_env("USER", "zhangsan");
    bot.file("college.csv", COLLEGE.as_bytes());
    assert_eq!(bot.run(&["import", "college.csv"]).code, 0);
    bot.file("targets.csv", include_bytes!("../examples/targets.csv"));
    bot.file("campaign.toml", include_bytes!("../examples/campaign.toml"));
    for args in [
        &["targets", "load", "targets.csv"][..],
        &["campaign", "load", "campaign.toml"],
        &[
            "evaluation",
            "open",
            "--branch",
            "学生第二党支部",
            "--from",
            "2099-06-01",
            "--to",
            "2099-06-07",
        ],
        &[
            "notice",
            "send",
            "--scope",
            "all",
            "--text",
            "周五前提交学习心得。",
            "--from",
            "T001",
            "--yes",
        ],
    ] {
        let run = bot.run(args);
        assert_eq!(run.code, 0, "{args:?}: {run:?}");
    }
    // A notice that is only previewed is not sent, and not logged.
    let run = bot.run(&["notice", "send", "--scope", "all", "--text", "预览而已"]);
    run.succeeded();

    let run = bot.run(&["audit"]);
    run.succeeded();
    let rows: Vec<Vec<&str>> = run
        .stdout_lines()
        .iter()
        .map(|l| l.split('\t').skip(1).take(4).collect())
        .collect();
    assert_eq!(
        rows,
        [
            ["zhangsan", "命令行", "导入名册", "college.csv"],
            ["zhangsan", "命令行", "导入评价对象", "targets.csv"],
            ["zhangsan", "命令行", "导入活动方案", "创先争优"],
            ["zhangsan", "命令行", "开启评议", "round:1"],
            ["王建国 (T001)", "命令行", "发送通知", "notice:1"],
        ]
    );
    let run = bot.run(&["audit", "--member", "T001", "--csv"]);
    assert_eq!(run.stdout_lines().len(), 2, "{run:?}");
    assert!(
        run.stdout_lines()[1].contains(",王建国 (T001),命令行,发送通知,notice:1,"),
        "{run:?}"
    );
}

#[test]
fn spotcheck_list_shows_each_check_with_its_subject_and_finding() {
    use branchbot::domain::meetings::MeetingKind;
    use branchbot::meetings::store as meetings;
    use branchbot::spotcheck::store as spotchecks;
    let bot = Bot::with_college("zh-CN");
    // 2025-11-19 19:30 in Asia/Shanghai.
    let starts = 1_763_551_800_000;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let store = Store::open(&bot.database).await.unwrap();
        let mut tx = store.begin().await.unwrap();
        let branch = members::branch_id(&mut tx, "学生第一党支部")
            .await
            .unwrap()
            .unwrap();
        let checker = members::find(&mut tx, "T010").await.unwrap().unwrap();
        let tang = members::find(&mut tx, "S203").await.unwrap().unwrap();
        let meeting = meetings::NewMeeting {
            branch_id: branch,
            kind: MeetingKind::General,
            starts_at: starts,
            ends_at: starts + 7_200_000,
            place: "图书馆 305".into(),
            topic: "学习".into(),
            created_by: None,
            attendees: Vec::new(),
            signin_code: String::new(),
        };
        let id = meetings::create(&mut tx, &meeting, 0).await.unwrap();
        let check = spotchecks::start(
            &mut tx,
            checker.id,
            branch,
            "meeting",
            id,
            starts + 86_400_000,
        )
        .await
        .unwrap();
        spotchecks::conclude(&mut tx, check, checker.id, "记录完整", starts + 86_460_000)
            .await
            .unwrap();
        let second = tang.branch_id.unwrap();
        spotchecks::start(
            &mut tx,
            checker.id,
            second,
            "pledge",
            tang.id,
            starts + 2 * 86_400_000,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        store.close().await;
    });
    let run = bot.run(&["spotcheck", "list"]);
    run.succeeded();
    assert_eq!(
        run.stdout_lines(),
        [
            "2\t2025-11-21 19:30\t学生第二党支部\t吴桂兰\t唐志强的承诺\t（未填写抽查意见）",
            "1\t2025-11-20 19:30\t学生第一党支部\t吴桂兰\t党员大会（2025-11-19 19:30）\t记录完整",
        ]
    );
    assert_eq!(
        run.stderr_lines(),
        [
            "编号\t抽查时间\t支部\t抽查人\t抽查对象\t抽查意见",
            "共 2 次抽查，其中 1 次已填写抽查意见。"
        ]
    );
    let run = bot.run(&["spotcheck", "list", "--branch", "学生第一党支部", "--csv"]);
    assert_eq!(
        run.stdout_lines(),
        [
            "编号,抽查时间,支部,抽查人,抽查对象,抽查意见",
            "1,2025-11-20 19:30,学生第一党支部,吴桂兰,党员大会（2025-11-19 19:30）,记录完整",
        ]
    );
    let run = bot.run(&["spotcheck", "list", "--branch", "化学系党支部"]);
    run.ended_with(2);
    assert!(run.stderr.contains("化学系党支部"), "{run:?}");
}

/// The audit log's `data_exported` rows: `(actor, via, subject, detail)`.
fn exports(bot: &Bot) -> Vec<(String, String, String, String)> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let store = Store::open(&bot.database).await.unwrap();
        let rows = sqlx::query_as(
            "SELECT actor, via, subject, detail FROM audit_log \
             WHERE action = 'data_exported' ORDER BY id",
        )
        .fetch_all(store.pool())
        .await
        .unwrap();
        store.close().await;
        rows
    })
}

#[test]
fn reports_refuse_an_unknown_branch_a_bad_period_an_empty_one_and_one_over_five_years_and_write_nothing(
) {
    let bot = Bot::with_college("zh-CN");
    for (args, said) in [
        (
            vec!["report", "notices", "--branch", "第九党支部"],
            "没有名为“第九党支部”的支部。现有支部：学生第一党支部、学生第二党支部、教工第一党支部（用 branchbot members 可查看各支部及其成员）。",
        ),
        (
            vec!["report", "meetings", "--period", "2026-13"],
            "未能识别时段“2026-13”。可以写：2026Q4（季度）、2026-11（月份）、2026（年份），或 2026-10-01..2026-12-31（日期范围，含首尾两天）。",
        ),
        (
            vec!["report", "feedback", "--period", "上个月"],
            "未能识别时段“上个月”。可以写：2026Q4（季度）、2026-11（月份）、2026（年份），或 2026-10-01..2026-12-31（日期范围，含首尾两天）。",
        ),
        (
            vec!["report", "charts", "--period", "2026-12-31..2026-10-01"],
            "时段“2026-12-31..2026-10-01”是空的：结束日期早于开始日期。可以写：2026Q4（季度）、2026-11（月份）、2026（年份），或 2026-10-01..2026-12-31（日期范围，先早后晚，含首尾两天）。",
        ),
        (
            vec!["report", "feedback", "--period", "2000-01-01..2200-12-31"],
            "时段“2000-01-01..2200-12-31”超过了 5 年。请选短一些的时段，例如一年（2026）或 2022-01-01..2026-12-31。",
        ),
    ] {
        let run = bot.run(&args);
        run.ended_with(2);
        assert_eq!(run.stderr.trim_end(), said);
        assert!(run.stdout.is_empty(), "{run:?}");
    }
    let en = Bot::with_college("en");
    let run = en.run(&["report", "evaluation", "--period", "2026Q5"]);
    run.ended_with(2);
    assert!(
        run.stderr
            .starts_with("“2026Q5” is not a period. Write 2026Q4 (a quarter)"),
        "{run:?}"
    );
    // A period with nothing in it: a line says so, and no file is written.
    let run = bot.run(&[
        "report",
        "notices",
        "--period",
        "2026-10-01..2026-10-31",
        "--out",
        "out",
    ]);
    run.succeeded();
    assert_eq!(
        run.stderr_lines(),
        [
            "2026年10月1日至2026年10月31日 共发出 0 条通知",
            "通知报表在 2026年10月1日至2026年10月31日 没有数据，未写入文件。",
        ]
    );
    // No branches yet: no chart has anything to draw.
    let empty = Bot::new("zh-CN");
    let run = empty.run(&["report", "charts", "--period", "2026-10", "--out", "out"]);
    run.succeeded();
    assert_eq!(
        run.stderr_lines(),
        [
            "“各支部每月出席率（2026年10月）”没有数据，未绘制。",
            "“三会一课：已开次数与应开次数（2026年10月）”没有数据，未绘制。",
            "“各支部践诺填报情况（最近一期）”没有数据，未绘制。",
            "“各评价对象的评价分布（2026年10月）”没有数据，未绘制。",
            "图表在 2026年10月 没有数据，未写入文件。",
        ]
    );
    assert!(!empty.dir.path().join("out").exists());
    let run = bot.run(&["report", "evaluation", "--period", "2026", "--out", "out"]);
    run.succeeded();
    assert!(
        !bot.dir.path().join("out").exists(),
        "no directory, no empty files"
    );
    assert!(exports(&bot).is_empty());
}

#[test]
fn an_export_writes_csv_and_xlsx_into_a_new_directory_and_an_audit_row() {
    let bot = Bot::with_college("zh-CN");
    approve_pledges(&bot, &[("S203", &[("study", "每月读一本理论书籍")])]);
    let run = bot.run(&[
        "report",
        "pledges",
        "--branch",
        "学生第二党支部",
        "--out",
        "exports/2026",
    ]);
    run.succeeded();
    assert_eq!(
        run.stdout_lines(),
        ["学生第二党支部\tS203\t唐志强\t1\t带头学习提高\t每月读一本理论书籍\t2026-12-31"]
    );
    let written: Vec<&str> = run
        .stderr_lines()
        .into_iter()
        .filter(|l| l.starts_with("已写入 "))
        .collect();
    assert_eq!(written.len(), 2, "{run:?}");
    let csv_name = written[0].trim_start_matches("已写入 ");
    assert!(
        csv_name.starts_with("exports/2026/pledges-") && csv_name.ends_with(".csv"),
        "{csv_name}"
    );
    let csv = std::fs::read_to_string(bot.dir.path().join(csv_name)).unwrap();
    assert_eq!(
        csv,
        "\u{feff}支部,编号,姓名,序号,方面,承诺内容,目标日期\n学生第二党支部,S203,唐志强,1,带头学习提高,每月读一本理论书籍,2026-12-31\n"
    );
    let xlsx = bot
        .dir
        .path()
        .join(written[1].trim_start_matches("已写入 "));
    assert!(
        std::fs::read(&xlsx).unwrap().starts_with(b"PK"),
        "a zip: an XLSX"
    );
    let rows = exports(&bot);
    assert_eq!(rows.len(), 1);
    let (actor, via, subject, detail) = &rows[0];
    assert!(!actor.is_empty());
    assert_eq!(via, "cli");
    assert!(
        subject.starts_with("report pledges ") && subject.ends_with(" branch:学生第二党支部"),
        "{subject}"
    );
    assert!(
        detail.contains(csv_name) && detail.contains(".xlsx"),
        "{detail}"
    );
}

#[test]
fn evaluation_and_campaign_reports_show_closed_rounds_tallies_and_phase_summaries() {
    use branchbot::evaluation::store as evaluation;
    use branchbot::store::campaigns;
    let bot = Bot::with_college("zh-CN");
    bot.file("campaign.toml", include_bytes!("../examples/campaign.toml"));
    assert_eq!(bot.run(&["campaign", "load", "campaign.toml"]).code, 0);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let store = Store::open(&bot.database).await.unwrap();
        let mut tx = store.begin().await.unwrap();
        let branch = members::branch_id(&mut tx, "学生第二党支部")
            .await
            .unwrap()
            .unwrap();
        let mut ids = Vec::new();
        for k in ["S201", "S203", "S204"] {
            ids.push(members::find(&mut tx, k).await.unwrap().unwrap().id);
        }
        // A round of 2025 (closed), with S203 and S204 graded by three voters.
        let round = evaluation::open(
            &mut tx,
            &evaluation::NewRound {
                kind: "grades",
                branch_id: branch,
                title: "2025年度民主评议党员",
                opens_at: 1_735_660_800_000,  // 2025-01-01 00:00 +08:00
                closes_at: 1_736_265_600_000, // 2025-01-08 00:00 +08:00
                created_by: None,
                candidates: &ids[1..],
                voters: &ids,
                options: 4,
            },
        )
        .await
        .unwrap();
        for (voter, picks) in ids.iter().zip([[0u8, 1], [0, 0], [1, 3]]) {
            let sealed = branchbot::evaluation::service::seal_ballot(&picks);
            assert!(evaluation::submit(&mut tx, round, *voter, &sealed)
                .await
                .unwrap());
        }
        // Tallied here, as the evaluation-tally job would after the close: the binary runs
        // in another folder, with another anonymity key.
        branchbot::evaluation::service::tally(&mut tx, 1_736_265_600_000)
            .await
            .unwrap();
        campaigns::submit_summary(
            &mut tx,
            "创先争优",
            0,
            branch,
            ids[0],
            "第一阶段总结",
            1_812_000_000_000,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        store.close().await;
    });
    let run = bot.run(&[
        "report",
        "evaluation",
        "--period",
        "2025",
        "--out",
        "out",
        "--csv",
    ]);
    run.succeeded();
    assert_eq!(
        run.stdout_lines(),
        [
            "轮次,党支部,名称,截止日期,已投票/应投票,评议对象,优秀,合格,基本合格,不合格,赞成,反对,弃权,备注",
            "1,学生第二党支部,2025年度民主评议党员,2025-01-07,3/3,唐志强,2,1,0,0,,,,注意：“优秀”超过三分之一。",
            "1,学生第二党支部,2025年度民主评议党员,2025-01-07,3/3,韩梅梅,1,1,0,1,,,,注意：“优秀”超过三分之一。",
        ]
    );
    assert!(bot.dir.path().join("out/evaluation-2025.xlsx").exists());
    let run = bot.run(&[
        "report",
        "campaign",
        "--branch",
        "学生第二党支部",
        "--out",
        "out",
    ]);
    run.succeeded();
    let rows = run.stdout_lines();
    assert_eq!(rows.len(), 4, "{run:?}");
    assert!(
        rows[0]
            .starts_with("创先争优\t1\t第一阶段：发动部署、党内评优表彰\t2026-12-01\t2027-02-28\t"),
        "{run:?}"
    );
    // Then the branch's service activities in the phase and its 领导点评 (none yet).
    assert!(
        rows[0].ends_with("\t2027-06-03 已提交\t0 次（确认 0 人次）\t-"),
        "{run:?}"
    );
    assert!(
        rows[1].ends_with("\t学生第二党支部\t未提交\t0 次（确认 0 人次）\t-"),
        "{run:?}"
    );
    assert!(
        run.stderr
            .contains("“第一阶段：发动部署、党内评优表彰”阶段总结：已提交 1/1 个支部"),
        "{run:?}"
    );
}

#[test]
fn serve_on_postgres_without_an_anonymity_key_refuses_to_start_and_says_which_variable_to_set() {
    let dir = tempfile::tempdir().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_branchbot"));
    for (name, _) in std::env::vars() {
        if name.starts_with("BRANCHBOT_") || name.starts_with("TELOXIDE_") {
            command.env_remove(name);
        }
    }
    // Refused before any connection is tried: the address need not answer.
    let output = command
        .current_dir(dir.path())
        .env("BRANCHBOT_LOCALE", "zh-CN")
        .args([
            "--database",
            "postgres://nobody@127.0.0.1:1/none",
            "serve",
            "--no-console",
        ])
        .stdin(Stdio::null())
        .output()
        .expect("the branchbot binary starts");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_ne!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("使用 PostgreSQL 时必须设置匿名密钥，且所有副本共用同一个")
            && stderr.contains("BRANCHBOT_ANONYMITY_KEY / BRANCHBOT_ANONYMITY_KEY_FILE"),
        "{stderr}"
    );
    // No key file was made in the working folder either.
    assert!(!dir.path().join("branchbot.anonymity-key").exists());
}

#[test]
fn the_example_campaign_can_be_moved_to_start_on_another_day() {
    let bot = Bot::with_college("zh-CN");
    bot.file("campaign.toml", include_bytes!("../examples/campaign.toml"));
    let bad = bot.run(&["campaign", "load", "campaign.toml", "--start", "下周"]);
    bad.ended_with(2);
    assert_eq!(
        bad.stderr_lines(),
        ["无法识别开始日期“下周”。请写 today 或 年-月-日，例如 2027-03-01。"]
    );
    let run = bot.run(&["campaign", "load", "campaign.toml", "--start", "2029-03-05"]);
    run.succeeded();
    let show = bot.run(&["campaign", "show"]);
    let phases: Vec<&str> = show
        .stdout_lines()
        .into_iter()
        .filter(|l| l.starts_with(char::is_numeric))
        .collect();
    // Every phase moved by the same days; each ends the day before the next one starts.
    assert_eq!(
        phases,
        [
            "1. 第一阶段：发动部署、党内评优表彰　2029-03-05 至 2029-06-02",
            "2. 第二阶段：喜迎建党106周年　2029-06-03 至 2029-10-02",
            "3. 第三阶段：群众评议、推广典型　2029-10-03 至 2030-02-02",
            "4. 全面回顾总结　2030-02-03 至 2030-04-04",
        ]
    );
}

#[test]
fn with_an_sms_gateway_commands_run_without_the_webhook_key_that_only_serve_needs() {
    let bot = Bot::with_college("zh-CN");
    bot.file(
        "branchbot.toml",
        b"[sms]\ngateway = \"generic\"\n\n[sms.generic]\nurl = \"http://127.0.0.1:9/send\"\nbody = '{\"to\":\"{to}\",\"text\":\"{text}\"}'\n",
    );
    let members = bot.run(&["members"]);
    members.succeeded();
    assert!(members.stdout.contains("S103"), "{members:?}");
    let list = bot.run(&["meeting", "list"]);
    list.succeeded();
    let serve = bot.run(&["serve", "--no-console"]);
    serve.ended_with(2);
    assert!(
        serve.stderr_lines().contains(
            &"配置有误：sms.gateway 设为“generic”时，需要设置 BRANCHBOT_SMS_WEBHOOK_KEY（用于验证收到的 webhook 签名）。"
        ),
        "{serve:?}"
    );
}

/// Runs SQL on the bot's database and returns the first column of the rows as text.
fn sql_rows(bot: &Bot, sql: &'static str) -> Vec<String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let store = Store::open(&bot.database).await.unwrap();
        let rows: Vec<(String,)> = sqlx::query_as(sql).fetch_all(store.pool()).await.unwrap();
        store.close().await;
        rows.into_iter().map(|(v,)| v).collect()
    })
}

#[test]
fn inbox_failed_lists_failed_updates_and_retry_puts_one_back_once() {
    let bot = Bot::with_college("zh-CN");
    let run = bot.run(&["inbox", "failed"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{run:?}");
    assert_eq!(run.stderr.trim_end(), "没有处理失败的消息。");
    sql_rows(
        &bot,
        "INSERT INTO inbox (id, channel, external_id, payload, status, received_at, processed_at, error) \
         VALUES (7, 'telegram', '9001', '{}', 'failed', 1796000000000, 1796000060000, \
         'stored data is corrupt: meeting kind ''bogus''') RETURNING channel",
    );
    sql_rows(
        &bot,
        "INSERT INTO inbox (id, channel, external_id, payload, status, received_at) \
         VALUES (8, 'telegram', '9002', NULL, 'done', 1796000000000) RETURNING channel",
    );
    let run = bot.run(&["inbox", "failed"]);
    run.succeeded();
    assert_eq!(
        run.stdout_lines(),
        ["7\ttelegram\t2026-11-30 08:53\t2026-11-30 08:54\tstored data is corrupt: meeting kind 'bogus'"]
    );
    assert_eq!(
        run.stderr_lines(),
        [
            "编号\t渠道\t收到时间\t失败时间\t错误",
            "排除原因后重新处理一条：branchbot inbox failed --retry 编号"
        ]
    );

    for (arg, code, said) in [
        (
            "abc",
            2,
            "“abc”不是消息编号；请使用 branchbot inbox failed 列出的编号。",
        ),
        (
            "99",
            2,
            "没有编号为 #99 的消息；请使用 branchbot inbox failed 列出的编号。",
        ),
        (
            "8",
            2,
            "消息 #8 没有处理失败（状态：已处理），只有处理失败的消息可以重试。",
        ),
        ("7", 0, ""),
        (
            "7",
            2,
            "消息 #7 没有处理失败（状态：待发送），只有处理失败的消息可以重试。",
        ),
    ] {
        let run = bot.run(&["inbox", "failed", "--retry", arg]);
        assert_eq!(run.code, code, "{arg}: {run:?}");
        if code == 0 {
            assert_eq!(
                run.stdout.trim_end(),
                "消息 #7 已重新排队，运行中的机器人很快会处理它。"
            );
        } else {
            assert_eq!(run.stderr.trim_end(), said, "{arg}");
            assert_eq!(run.stdout, "");
        }
    }
    assert_eq!(
        sql_rows(&bot, "SELECT status FROM inbox ORDER BY id"),
        ["pending", "done"]
    );
    assert_eq!(
        sql_rows(
            &bot,
            "SELECT subject FROM audit_log WHERE action = 'inbox_retried'"
        ),
        ["inbox:7"]
    );
}

#[test]
fn the_serve_banner_says_where_metrics_are_read() {
    use std::io::BufRead;
    let bot = Bot::with_college("zh-CN");
    let banner = |metrics_listen: &str, token: Option<&str>| -> String {
        let mut command = Command::new(env!("CARGO_BIN_EXE_branchbot"));
        for (name, _) in std::env::vars() {
            if name.starts_with("BRANCHBOT_") || name.starts_with("TELOXIDE_") {
                command.env_remove(name);
            }
        }
        command
            .current_dir(bot.dir.path())
            .env("BRANCHBOT_LOCALE", "zh-CN")
            .env("BRANCHBOT_HTTP_LISTEN", "127.0.0.1:0")
            .env("BRANCHBOT_METRICS_LISTEN", metrics_listen)
            .envs(token.map(|t| ("BRANCHBOT_METRICS_TOKEN", t)))
            .args(["--database", &bot.database, "serve", "--no-console"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("the branchbot binary starts");
        let stderr = child.stderr.take().expect("stderr");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        let mut found = None;
        while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
            match rx.recv_timeout(left) {
                Ok(line) if line.contains("正在监听") => {
                    found = Some(line);
                    break;
                }
                Ok(_) => {}
                Err(_) => break,
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        found.expect("the banner is printed")
    };
    let apart = banner("127.0.0.1:0", None);
    assert!(
        apart.contains("指标：http://127.0.0.1:") && apart.ends_with("/metrics）"),
        "{apart}"
    );
    let token = banner("", Some("a-token-of-sixteen-chars"));
    assert!(
        token.ends_with("指标：/metrics，请求须带 BRANCHBOT_METRICS_TOKEN）"),
        "{token}"
    );
    let off = banner("", None);
    assert!(off.ends_with("指标：未开启）"), "{off}");
}

#[test]
fn prefer_sets_a_members_channel_order_and_the_older_sms_prefer_still_works() {
    let bot = Bot::with_college("zh-CN");
    let run = bot.run(&["prefer", "T004", "wecom,sms"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.stdout_lines(),
        ["刘洋（T004）的推送渠道已设为：wecom,sms"]
    );
    let run = bot.run(&["prefer", "T004", "fax"]);
    assert_ne!(run.code, 0, "{run:?}");
    assert!(run.stderr.contains("“fax”不是可选的渠道。"), "{run:?}");
    let run = bot.run(&["sms", "prefer", "T004", "telegram"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.stdout_lines(),
        ["刘洋（T004）的推送渠道已设为：telegram"]
    );
    let run = bot.run(&["prefer", "T004", "both"]);
    assert_eq!(run.stdout_lines(), ["刘洋（T004）的推送渠道已设为：both"]);
    // The older spelling names the same channels as the newer one, and takes them.
    let run = bot.run(&["sms", "prefer", "T004", "fax"]);
    run.ended_with(2);
    assert_eq!(
        run.stderr_lines(),
        ["“fax”不是可选的渠道。请按顺序写 telegram、wecom、sms、console 中的一个或几个（用逗号分隔），或写 both。"]
    );
    let run = bot.run(&["sms", "prefer", "T004", "wecom,sms"]);
    run.succeeded();
    assert_eq!(
        run.stdout_lines(),
        ["刘洋（T004）的推送渠道已设为：wecom,sms"]
    );
}

/// The office's spreadsheet of the pipeline: 郭子豪 (S105) is a 发展对象 with every date,
/// 吕思远 (S209) an activist whose talk came late.
const PIPELINE: &str = "\
key,姓名,申请日期,谈话,积极分子,培养联系人,考察,思想汇报,发展对象,备注
S105,郭子豪,2024-03-01,2024-03-15,2024-04-01,S107;S110,2024-10-01;2025-03-25,2024-07-01;2024-10-01,,
S209,吕思远,2025-09-01,2025-10-20,2025-11-01,S207,,,,
";

#[test]
fn recruit_import_refuses_a_bad_file_whole_and_names_each_line_and_column() {
    let bot = Bot::with_college("zh-CN");
    // Line 2: a candidate before a year as an activist; line 3: a contact who is probationary;
    // line 4: a date that is not one.
    bot.file(
        "bad.csv",
        "key,申请日期,谈话,积极分子,培养联系人,发展对象\n\
         S105,2024-03-01,2024-03-15,2024-04-01,S107,2024-12-01\n\
         S209,2025-09-01,2025-10-20,2025-11-01,S205,\n\
         S108,2025/13/01,,,,\n"
            .as_bytes(),
    );
    let run = bot.run(&["recruit", "import", "bad.csv"]);
    assert_eq!(run.code, 2, "{run:?}");
    let lines = run.stderr_lines();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("第 2 行，“发展对象”列：") && l.contains("最早 2025-04-01")),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("第 3 行，“培养联系人”列：")
                && l.contains("培养联系人须是正式党员")),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("第 4 行，“申请日期”列：") && l.contains("年-月-日")),
        "{lines:#?}"
    );
    assert_eq!(
        lines.last().copied(),
        Some("文件有 3 处问题，什么都没有导入。改正后再导入。")
    );
    assert_eq!(
        sql_rows(&bot, "SELECT CAST(COUNT(*) AS TEXT) FROM recruit_steps"),
        ["0"],
        "nothing was written"
    );
}

#[test]
fn recruit_import_loads_the_pipeline_and_list_show_and_the_report_read_it() {
    let bot = Bot::with_college("zh-CN");
    bot.file("pipeline.csv", PIPELINE.as_bytes());
    let dry = bot.run(&["recruit", "import", "pipeline.csv", "--dry-run"]);
    assert_eq!(dry.code, 0, "{dry:?}");
    assert!(
        dry.stdout.contains("检查通过：可以导入 2 人的 13 个环节"),
        "{dry:?}"
    );
    assert_eq!(
        sql_rows(&bot, "SELECT CAST(COUNT(*) AS TEXT) FROM recruits"),
        ["0"]
    );

    let run = bot.run(&["recruit", "import", "pipeline.csv"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout.trim_end(), "已导入 2 人的 13 个环节。");

    let list = bot.run(&["recruit", "list", "--csv"]);
    assert_eq!(list.code, 0, "{list:?}");
    let rows = list.stdout_lines();
    assert_eq!(
        rows[0],
        "支部,编号,姓名,阶段,下一事项,期限,已逾期,公示期满,下一阶段缺少的材料"
    );
    assert!(
        rows[1].starts_with("学生第一党支部,S105,郭子豪,入党积极分子,"),
        "{rows:#?}"
    );
    assert!(
        rows[2].starts_with("学生第二党支部,S209,吕思远,入党积极分子,"),
        "{rows:#?}"
    );

    let show = bot.run(&["recruit", "show", "S105"]);
    assert_eq!(show.code, 0, "{show:?}");
    assert!(
        show.stdout.starts_with("郭子豪（S105）· 入党积极分子"),
        "{show:?}"
    );
    assert!(
        show.stdout.contains("2024-04-01 确定为入党积极分子"),
        "{show:?}"
    );
    assert!(
        show.stdout
            .contains("材料：入党申请书 2024-03-01；思想汇报 2 份（最近 2024-10-01）\n"),
        "{show:?}"
    );
    // 吕思远 has handed in no 思想汇报: the list says what his next stage lacks.
    assert!(rows[2].ends_with(",思想汇报"), "{rows:#?}");
    let paper = bot.run(&["recruit", "record", "S105", "paper", "成绩单"]);
    assert_eq!(paper.code, 2, "{paper:?}");
    assert!(paper.stderr.contains("不认识的材料“成绩单”"), "{paper:?}");
    let paper = bot.run(&[
        "recruit",
        "record",
        "S105",
        "paper",
        "政审材料",
        "2025-03-01",
    ]);
    assert_eq!(paper.code, 0, "{paper:?}");
    assert_eq!(
        paper.stdout.trim_end(),
        "已登记：S105 的“政审材料”，收到日期 2025-03-01。"
    );
    let notice = bot.run(&["recruit", "notice", "S105"]);
    assert_eq!(notice.code, 2, "{notice:?}");
    assert!(
        notice.stderr.contains("S105 目前没有进行中的公示"),
        "{notice:?}"
    );

    // Recording at the command line goes through the same rules.
    let early = bot.run(&["recruit", "record", "S209", "candidate", "2026-01-01"]);
    assert_eq!(early.code, 2, "{early:?}");
    assert!(early.stderr.contains("最早 2026-11-01"), "{early:?}");
    let ok = bot.run(&[
        "recruit",
        "record",
        "S105",
        "opinions",
        "2025-03-28",
        "同意",
    ]);
    assert_eq!(ok.code, 0, "{ok:?}");
    assert!(ok.stdout.contains("已记录：S105"), "{ok:?}");

    let report = bot.run(&["report", "recruitment", "--csv"]);
    assert_eq!(report.code, 0, "{report:?}");
    assert_eq!(report.stdout_lines().len(), 3, "{report:?}");
    let files: Vec<String> = std::fs::read_dir(bot.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("recruitment-"))
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");
    assert_eq!(
        sql_rows(
            &bot,
            "SELECT CAST(COUNT(*) AS TEXT) FROM audit_log WHERE action = 'recruitment_step'"
        ),
        ["15"]
    );
}

#[test]
fn recruit_import_reads_the_papers_columns_and_refuses_a_bad_date_in_them() {
    let bot = Bot::with_college("zh-CN");
    let file = |training: &str| {
        format!(
            "key,申请日期,谈话,积极分子,培养联系人,考察,思想汇报,征求意见,发展对象,政审,政审材料,培训结业证明\n\
             S105,2024-03-01,2024-03-15,2024-04-01,S107,2024-10-01;2025-03-25,2024-07-01,\
             2025-03-28,2025-04-02,2025-05-01,2025-05-01,{training}\n"
        )
    };
    bot.file("papers.csv", file("2025/13/10").as_bytes());
    let run = bot.run(&["recruit", "import", "papers.csv"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .contains("第 2 行，“培训结业证明”列：日期请写成 年-月-日，例如 2026-03-01。"),
        "{run:?}"
    );
    assert_eq!(
        sql_rows(&bot, "SELECT CAST(COUNT(*) AS TEXT) FROM recruit_papers"),
        ["0"],
        "nothing was written"
    );
    bot.file("papers.csv", file("2025-05-10").as_bytes());
    let run = bot.run(&["recruit", "import", "papers.csv"]);
    assert_eq!(run.code, 0, "{run:?}");
    let show = bot.run(&["recruit", "show", "S105"]);
    assert!(
        show.stdout.contains(
            "材料：入党申请书 2024-03-01；思想汇报 1 份（最近 2024-07-01）；政审材料 2025-05-01；\
             培训结业证明 2025-05-10；入党志愿书 未交"
        ),
        "{show:?}"
    );
}

const CALENDAR: &str = include_str!("../examples/calendar.toml");

#[test]
fn calendar_load_refuses_a_bad_file_by_its_line_and_writes_nothing() {
    let bot = Bot::with_college("zh-CN");
    bot.file(
        "holidays.toml",
        "[[holiday]]\nname = \"中秋节\"\ndays = [\"2026-09-25\", \"2026-09-27\"]\n\n\
         [[holiday]]\nname = \"国庆节\"\ndays = [\"2026-10-01\", \"2026-10-32\"]\n"
            .as_bytes(),
    );
    let run = bot.run(&["calendar", "load", "holidays.toml"]);
    run.ended_with(2);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr.trim_end(),
        "holidays.toml 第 7 行：“国庆节”中的“2026-10-32”不是日期，应写作 2026-10-01。未导入任何内容，请修改后重新导入。"
    );
    for (text, said) in [
        (
            "[[holiday]]\nname = \"国庆节\"\ndays = [\"2026-10-01\", \"2026-10-07\"]\nworkdays = [\"2026-10-09\"]\n",
            "holidays.toml 第 4 行：“国庆节”：调休上班日 2026-10-09 不是周六或周日。未导入任何内容，请修改后重新导入。",
        ),
        (
            "[[vacation]]\nname = \"暑假\"\n\ndays = [\"2026-07-11\"]\n",
            "holidays.toml 第 4 行：“暑假”的 days 应恰好写两个日期：第一天和最后一天。未导入任何内容，请修改后重新导入。",
        ),
        (
            "[[holiday]]\nname = \"国庆节\"\ndays = [\"2026-10-01\", \"2027-10-07\"]\n",
            "holidays.toml 第 3 行：“国庆节”超过 200 天，请检查年份。未导入任何内容，请修改后重新导入。",
        ),
        (
            "[[holiday]]\nnme = \"国庆节\"\n",
            "holidays.toml 第 2 行：格式有误（unknown field `nme`, expected one of `name`, `days`, `workdays`, `provisional`）。未导入任何内容，请修改后重新导入。",
        ),
    ] {
        bot.file("holidays.toml", text.as_bytes());
        let run = bot.run(&["calendar", "load", "holidays.toml"]);
        run.ended_with(2);
        assert_eq!(run.stderr.trim_end(), said);
    }
    let en = Bot::new("en");
    en.file(
        "holidays.toml",
        b"[[holiday]]\nname = \"National Day\"\ndays = [\"2026-10-01\", \"2026-10-07\"]\nworkdays = [\"2026-10-03\"]\n",
    );
    let run = en.run(&["calendar", "load", "holidays.toml"]);
    run.ended_with(2);
    assert_eq!(
        run.stderr.trim_end(),
        "holidays.toml, line 4: in \"National Day\", 2026-10-03 is both a day off and a make-up working day. Nothing was loaded; fix the file and load it again."
    );
    assert_eq!(
        sql_rows(&bot, "SELECT day FROM calendar_days"),
        Vec::<String>::new()
    );
    assert_eq!(
        sql_rows(
            &bot,
            "SELECT action FROM audit_log WHERE action = 'calendar_loaded'"
        ),
        Vec::<String>::new()
    );
}

#[test]
fn calendar_load_replaces_the_years_it_covers_and_show_prints_a_year() {
    let bot = Bot::with_college("zh-CN");
    bot.file("calendar.toml", CALENDAR.as_bytes());
    let run = bot.run(&["calendar", "load", "calendar.toml"]);
    run.succeeded();
    assert_eq!(
        run.stdout.trim_end(),
        "已导入节假日安排（2026、2027年）：放假 46 天，调休上班 6 天，假期 3 个。这些年份原有的安排已替换。"
    );
    let run = bot.run(&["calendar", "show", "2026"]);
    run.succeeded();
    assert_eq!(
        run.stdout_lines(),
        [
            "2026 年节假日安排：",
            "元旦：1月1日至1月3日放假，共 3 天；1月4日调休上班",
            "春节：2月15日至2月23日放假，共 9 天；2月14日、2月28日调休上班",
            "清明节：4月4日至4月6日放假，共 3 天",
            "劳动节：5月1日至5月5日放假，共 5 天；5月9日调休上班",
            "端午节：6月19日至6月21日放假，共 3 天",
            "中秋节：9月25日至9月27日放假，共 3 天",
            "国庆节：10月1日至10月7日放假，共 7 天；9月20日、10月10日调休上班",
            "2026年暑假：7月11日至8月30日（学生党支部暂停非紧急推送）",
        ]
    );
    let run = bot.run(&["calendar", "show", "2027"]);
    assert_eq!(
        run.stdout_lines()[1],
        "元旦：1月1日至1月1日放假，共 1 天（暂定，待国务院办公厅通知）"
    );
    // A file for 2026 alone replaces 2026 and leaves 2027 as it was.
    bot.file(
        "2026.toml",
        "[[holiday]]\nname = \"国庆节\"\ndays = [\"2026-10-01\", \"2026-10-07\"]\nworkdays = [\"2026-09-20\", \"2026-10-10\"]\n"
            .as_bytes(),
    );
    bot.run(&["calendar", "load", "2026.toml"]).succeeded();
    let run = bot.run(&["calendar", "show", "2026"]);
    assert_eq!(
        run.stdout_lines(),
        [
            "2026 年节假日安排：",
            "国庆节：10月1日至10月7日放假，共 7 天；9月20日、10月10日调休上班",
        ]
    );
    assert_eq!(
        sql_rows(&bot, "SELECT day FROM calendar_days WHERE year = 2027").len(),
        13
    );
    assert_eq!(
        sql_rows(
            &bot,
            "SELECT subject FROM audit_log WHERE action = 'calendar_loaded' ORDER BY id"
        ),
        ["2026、2027", "2026"]
    );
    let run = bot.run(&["calendar", "show", "2031"]);
    assert_eq!(
        (run.code, run.stdout.trim_end()),
        (
            0,
            "尚未导入 2031 年的节假日安排。可用 branchbot calendar load 文件 导入。"
        )
    );
    let run = bot.run(&["calendar", "show", "明年"]);
    assert_eq!(
        (run.code, run.stderr.trim_end()),
        (2, "“明年”不是年份，应写作 2026。")
    );
}

#[test]
fn a_meeting_on_a_holiday_is_created_with_a_warning_line() {
    let bot = Bot::with_college("zh-CN");
    bot.file(
        "2099.toml",
        "[[holiday]]\nname = \"国庆节\"\ndays = [\"2099-10-01\", \"2099-10-07\"]\n\n\
         [[vacation]]\nname = \"2099年暑假\"\ndays = [\"2099-07-10\", \"2099-08-30\"]\n"
            .as_bytes(),
    );
    bot.run(&["calendar", "load", "2099.toml"]).succeeded();
    let create = |at: &str| {
        bot.run(&[
            "meeting",
            "create",
            "--branch",
            "学生第一党支部",
            "--kind",
            "lesson",
            "--at",
            at,
            "--place",
            "图书馆 305",
            "--topic",
            "党史学习",
        ])
    };
    let run = create("2099-10-02 19:30");
    run.succeeded();
    let lines = run.stdout_lines();
    assert_eq!(lines.len(), 2, "{run:?}");
    assert_eq!(lines[1], "提示：10月2日是国庆节假期，请确认会议时间无误。");
    let run = create("2099-08-01 19:30");
    run.succeeded();
    assert_eq!(
        run.stdout_lines()[1],
        "提示：8月1日在2099年暑假期间，学生党员可能不在校。"
    );
    let run = create("2099-10-09 19:30");
    run.succeeded();
    assert_eq!(run.stdout_lines().len(), 1, "an ordinary day: no warning");
}

#[test]
fn dues_import_refuses_a_bad_file_whole_with_the_line_of_each_problem() {
    let bot = Bot::with_college("zh-CN");
    bot.file(
        "dues.csv",
        "学号,姓名,党费,起始月份\n\
         S103,马超,12.50,2026-01\n\
         S105,郭子豪,1,2026-01\n\
         S104,胡静怡,-0.2,2026-01\n\
         S107,何宇航,12.505,2026-01\n\
         S108,高婷婷,5,2026-13\n\
         X999,无名,5,2026-01\n\
         S103,马超,12.50,2026-02\n\
         S110,郑佳琪,abc,\n"
            .as_bytes(),
    );
    let run = bot.run(&["dues", "import", "dues.csv"]);
    run.ended_with(2);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr_lines(),
        [
            "第 3 行：郭子豪（S105）不是党员，不交纳党费。",
            "第 4 行：金额“-0.2”不能为负数。",
            "第 5 行：金额“12.505”最多保留两位小数（精确到分）。",
            "第 6 行：无法识别月份“2026-13”，请按 YYYY-MM 填写，例如 2026-11。",
            "第 7 行：名册中没有“X999”，请核对姓名或学号。",
            "第 8 行：学号 S103 与第 2 行重复",
            "第 9 行：无法识别金额“abc”，请填写数字，如 12.50。",
            "文件有 7 处问题，未导入任何内容。请修改后重新导入。",
        ]
    );
    assert_eq!(
        sql_rows(&bot, "SELECT CAST(COUNT(*) AS TEXT) FROM dues_amounts"),
        ["0"]
    );
    // A file without the columns says which it needs; in English too.
    bot.file("x.csv", b"key,money\nS103,1\n");
    let run = bot.run(&["dues", "import", "x.csv"]);
    run.ended_with(2);
    assert_eq!(
        run.stderr.trim_end(),
        "表头须有“学号”（key）和“党费”（amount）两列，可选“起始月份”（from）。"
    );
    let en = Bot::with_college("en");
    en.file(
        "dues.csv",
        b"key,amount,from\nS103,12.5,2026-01\nS104,1.001,2026-01\n",
    );
    let run = en.run(&["dues", "import", "dues.csv"]);
    run.ended_with(2);
    assert_eq!(
        run.stderr_lines(),
        [
            "Line 3: The amount \"1.001\" has more than two decimals (fen are the smallest unit).",
            "The file has 1 problems; nothing was imported. Please fix them and import again.",
        ]
    );
}

#[test]
fn dues_import_record_and_the_report_give_each_branch_its_month() {
    let bot = Bot::with_college("zh-CN");
    // Amounts from a spreadsheet, as the branch keeps them.
    let path = bot.dir.path().join("dues.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (col, h) in ["学号", "姓名", "月党费", "起始月份"].iter().enumerate() {
        sheet.write_string(0, col as u16, *h).unwrap();
    }
    for (row, (key, name, amount)) in [
        ("S101", "黄晓明", 30.0),
        ("S103", "马超", 12.5),
        ("S104", "胡静怡", 0.2),
        ("S201", "谢文博", 25.0),
    ]
    .iter()
    .enumerate()
    {
        let r = row as u32 + 1;
        sheet.write_string(r, 0, *key).unwrap();
        sheet.write_string(r, 1, *name).unwrap();
        sheet.write_number(r, 2, *amount).unwrap();
        sheet.write_string(r, 3, "2026-10").unwrap();
    }
    book.save(&path).unwrap();
    let run = bot.run(&["dues", "import", "dues.xlsx", "--dry-run"]);
    run.succeeded();
    assert_eq!(
        run.stdout.trim_end(),
        "检查通过：可导入 4 位党员的每月党费标准（未写入）。"
    );
    let run = bot.run(&["dues", "import", "dues.xlsx"]);
    run.succeeded();
    assert_eq!(run.stdout.trim_end(), "已导入 4 位党员的每月党费标准。");
    assert_eq!(
        sql_rows(
            &bot,
            "SELECT CAST(fen AS TEXT) FROM dues_amounts ORDER BY member_id"
        ),
        ["3000", "1250", "20", "2500"]
    );

    let run = bot.run(&["dues", "record", "S103", "2026-10", "¥12.50"]);
    run.succeeded();
    assert_eq!(
        run.stdout.trim_end(),
        "已登记：马超（S103）2026年10月党费 ¥12.50。"
    );
    let again = bot.run(&["dues", "record", "S103", "2026-10", "12.5"]);
    again.succeeded();
    assert!(
        again
            .stdout
            .starts_with("马超（S103）2026年10月的党费已登记过：¥12.50（管理员（命令行），")
            && again
                .stdout
                .trim_end()
                .ends_with("未重复登记。如需更正，请用 branchbot dues correct S103 2026-10 金额。"),
        "{again:?}"
    );
    let bad = bot.run(&["dues", "record", "S103", "2026-10", "-1"]);
    bad.ended_with(2);
    assert_eq!(bad.stderr.trim_end(), "金额“-1”不能为负数。");
    bot.file(
        "paid.csv",
        "学号,月份,金额\nS104,2026-10,0.20\nS201,2026-10,25\nS103,2026-10,12.50\n".as_bytes(),
    );
    let run = bot.run(&["dues", "import-payments", "paid.csv"]);
    run.succeeded();
    assert_eq!(
        run.stdout.trim_end(),
        "已登记 2 笔党费；1 笔此前已登记，未重复登记。"
    );
    bot.file("paid2.csv", "学号,月份,金额\nS103,2026-10,13\n".as_bytes());
    let run = bot.run(&["dues", "import-payments", "paid2.csv"]);
    run.ended_with(2);
    assert_eq!(
        run.stderr_lines(),
        [
            "第 2 行：马超（S103）2026年10月已登记 ¥12.50，与文件中的 ¥13.00 不同。\
             如需更正，请用 branchbot dues correct S103 2026-10 13.00。",
            "文件有 1 处问题，未导入任何内容。请修改后重新导入。",
        ]
    );
    let run = bot.run(&["dues", "keeper", "学生第一党支部", "S102"]);
    run.succeeded();
    assert_eq!(
        run.stdout.trim_end(),
        "已指定孙丽（S102）为学生第一党支部收缴党费的同志。"
    );
    let run = bot.run(&["dues", "keeper", "学生第一党支部", "S201"]);
    run.ended_with(2);
    assert_eq!(
        run.stderr.trim_end(),
        "谢文博（S201）不是该支部的党员，不能收缴该支部的党费。"
    );
    let run = bot.run(&["dues", "show", "S103"]);
    run.succeeded();
    assert!(run.stdout.contains("已交：10月"), "{run:?}");
    assert!(
        run.stdout
            .contains("请向收缴党费的同志交纳：孙丽（S102）。"),
        "{run:?}"
    );

    let run = bot.run(&["report", "dues", "--month", "2026-10", "--csv"]);
    run.succeeded();
    assert_eq!(
        run.stdout_lines(),
        [
            "支部,党员人数,应交人数,应交金额,已交人数,已交金额,未交名单,连续六个月未交",
            "学生第一党支部,9,3,42.70,2,12.70,黄晓明（S101）,",
            "学生第二党支部,9,1,25.00,1,25.00,,",
            "教工第一党支部,10,0,0.00,0,0.00,,",
        ]
    );
    assert!(bot.dir.path().join("dues-2026-10.csv").exists());
    assert!(bot.dir.path().join("dues-2026-10.xlsx").exists());
    let run = bot.run(&["report", "dues", "--month", "2026-13"]);
    run.ended_with(2);
    assert_eq!(
        run.stderr.trim_end(),
        "无法识别月份“2026-13”，请按 YYYY-MM 填写，例如 2026-11。"
    );
    assert_eq!(
        sql_rows(
            &bot,
            "SELECT action FROM audit_log WHERE action LIKE 'dues%' ORDER BY id"
        ),
        [
            "dues_imported",
            "dues_paid",
            "dues_paid",
            "dues_paid",
            "dues_keeper"
        ]
    );
}

#[test]
fn notice_send_takes_a_re_nudge_plan_refusing_one_under_the_floor_and_report_pushes_counts_each_week(
) {
    let bot = Bot::with_college("zh-CN");
    let base = [
        "notice",
        "send",
        "--scope",
        "branch:学生第二党支部",
        "--text",
        "今晚8点前报送值班表。",
        "--confirm",
    ];
    // Ordinary notices keep the two-hour floor; urgent ones go down to five minutes.
    let run = bot.run(&[&base[..], &["--nudge-every", "30"]].concat());
    run.ended_with(2);
    assert!(
        run.stderr
            .contains("普通通知的提醒间隔最短为 2 小时（紧急通知最短 5 分钟）。"),
        "{run:?}"
    );
    let run = bot.run(&[&base[..], &["--urgent", "--nudge-every", "3"]].concat());
    run.ended_with(2);
    assert!(
        run.stderr.contains("紧急通知的提醒间隔最短为 5 分钟。"),
        "{run:?}"
    );
    let no_confirm = [&base[..6], &["--nudge-every", "120"]].concat();
    let run = bot.run(&no_confirm);
    run.ended_with(2);
    assert!(run.stderr.contains("请加上 --confirm"), "{run:?}");
    assert_eq!(
        sql_rows(&bot, "SELECT CAST(COUNT(*) AS TEXT) FROM notices"),
        ["0"]
    );
    let run = bot.run(
        &[
            &base[..],
            &[
                "--urgent",
                "--nudge-every",
                "5",
                "--nudges",
                "2",
                "--sms-from",
                "2",
                "--yes",
            ],
        ]
        .concat(),
    );
    run.succeeded();
    assert!(
        run.stdout
            .contains("自动提醒：每 5 分钟提醒一次，共 2 次，第 2 次起改发短信。"),
        "{run:?}"
    );
    assert_eq!(
        sql_rows(
            &bot,
            "SELECT dedupe_key FROM jobs WHERE kind = 'notice-renudge' ORDER BY dedupe_key"
        ),
        ["notice:1:renudge:1", "notice:1:renudge:2"]
    );
    let audited = sql_rows(
        &bot,
        "SELECT detail FROM audit_log WHERE action = 'notice_sent'",
    );
    assert_eq!(audited.len(), 1);
    assert!(audited[0].ends_with(" · nudges 5m×2 sms≥2"), "{audited:?}");

    // Pushes 唐志强 received in two weeks of December, one of them a digest, and one held.
    sql_rows(
        &bot,
        "INSERT INTO outbox (channel, address, member_id, body, choices, dedupe_key, status, \
         next_attempt_at, created_at, sent_at) \
         SELECT 'telegram', 'S203', m.id, '提醒', '[]', k.key, 'sent', 0, 0, k.at \
         FROM members m, (SELECT 'a' AS key, 1796608800000 AS at \
           UNION ALL SELECT 'b', 1796695200000 UNION ALL SELECT 'digest:x', 1796695200000 \
           UNION ALL SELECT 'reply:telegram:1:1:0', 1796695200000 \
           UNION ALL SELECT 'c', 1797300000000) k \
         WHERE m.key = 'S203' RETURNING dedupe_key",
    );
    sql_rows(
        &bot,
        "INSERT INTO push_holds (outbox_id, member_id, held_at) \
         SELECT id, member_id, 1796695200000 FROM outbox WHERE dedupe_key = 'b' \
         RETURNING CAST(outbox_id AS TEXT)",
    );
    let run = bot.run(&[
        "report",
        "pushes",
        "--period",
        "2026-12",
        "--branch",
        "学生第二党支部",
        "--csv",
    ]);
    run.succeeded();
    assert_eq!(
        run.stdout_lines(),
        [
            "周次,支部,姓名,编号,推送条数,其中汇总消息,并入汇总的条数",
            "2026-W50,学生第二党支部,唐志强,S203,3,1,1",
            "2026-W51,学生第二党支部,唐志强,S203,1,0,0",
        ]
    );
    assert!(bot.dir.path().join("pushes-2026-12.xlsx").exists());
}

/// Runs one SQL statement against the bot's database (to move a meeting into the past).
fn sql(bot: &Bot, statement: &'static str) -> Vec<(String, String, String, String)> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let store = Store::open(&bot.database).await.unwrap();
        let rows = sqlx::query_as(statement)
            .fetch_all(store.pool())
            .await
            .unwrap();
        store.close().await;
        rows
    })
}

#[test]
fn leave_make_up_study_and_the_sign_in_screen_from_the_command_line() {
    let bot = Bot::with_college("zh-CN");
    bot.run(&[
        "meeting",
        "create",
        "--branch",
        "学生第一党支部",
        "--kind",
        "general",
        "--at",
        "2099-01-10 19:30",
        "--place",
        "图书馆 305",
        "--topic",
        "党史学习",
    ])
    .succeeded();
    // 代请假: refusals change nothing and exit 2.
    for (args, said) in [
        (
            ["1", "--member", "S105", "--reason", "出差"],
            "郭子豪同志不在这个会议的参会名单里，无需请假。",
        ),
        (
            ["1", "--member", "S103", "--reason", " "],
            "请写明请假原因，例如：/proxyleave 12 S103 家中有事。",
        ),
        (
            ["9", "--member", "S103", "--reason", "出差"],
            "没有编号为 9 的会议。发送 /meetings 查看编号。",
        ),
    ] {
        let mut all = vec!["meeting", "leave"];
        all.extend(args);
        let run = bot.run(&all);
        run.ended_with(2);
        assert_eq!(run.stderr.trim_end(), said);
    }
    let run = bot.run(&[
        "meeting",
        "leave",
        "1",
        "--member",
        "S103",
        "--reason",
        "家中有事",
    ]);
    run.succeeded();
    assert_eq!(
        run.stdout.trim_end(),
        "已为马超同志代请假：2099年1月10日（周六）19:30 党员大会，原因：家中有事。已通知本人。"
    );
    // 补学 only once the meeting is over.
    let run = bot.run(&[
        "meeting", "makeup", "1", "--member", "S104", "--note", "自学",
    ]);
    run.ended_with(2);
    assert_eq!(run.stderr.trim_end(), "会议结束后才能登记补学。");
    // The sign-in screen: a one-time link; with --rotating-only the static code is dropped.
    let run = bot.run(&["meeting", "screen", "1", "--rotating-only"]);
    run.succeeded();
    assert!(run.stdout.contains("/meetings/screen/open/"), "{run:?}");
    let run = bot.run(&["meeting", "list"]);
    assert!(run.stdout.contains("0/1/8"), "{run:?}");
    sql(
        &bot,
        "UPDATE meetings SET starts_at = 1000, ends_at = 2000 WHERE id = 1 \
         RETURNING '', '', '', ''",
    );
    let run = bot.run(&[
        "meeting",
        "makeup",
        "1",
        "--member",
        "S104",
        "--note",
        "自学党史",
    ]);
    run.succeeded();
    assert_eq!(
        run.stdout.trim_end(),
        "已为胡静怡同志登记补学：1970年1月1日（周四）08:00 党员大会。"
    );
    let run = bot.run(&[
        "meeting", "leave", "1", "--member", "S106", "--reason", "出差",
    ]);
    run.ended_with(2);
    assert_eq!(
        run.stderr.trim_end(),
        "这个会议已经结束，不能再请假。会后请登记补学（/makeup）。"
    );
    let audit = sql(
        &bot,
        "SELECT actor, via, action, detail FROM audit_log \
         WHERE action IN ('leave_recorded', 'makeup_recorded') ORDER BY id",
    );
    assert_eq!(audit.len(), 2, "{audit:?}");
    assert_eq!(
        (audit[0].1.as_str(), audit[0].2.as_str()),
        ("cli", "leave_recorded")
    );
    assert!(audit[0].3.ends_with("马超 (S103) · 家中有事"), "{audit:?}");
    assert!(
        audit[1].3.ends_with("胡静怡 (S104) · 自学党史"),
        "{audit:?}"
    );
}

#[test]
fn records_at_the_command_line_log_an_activity_publish_a_plan_and_write_a_comment() {
    let bot = Bot::with_college("zh-CN");
    bot.file("campaign.toml", include_bytes!("../examples/campaign.toml"));
    assert_eq!(bot.run(&["campaign", "load", "campaign.toml"]).code, 0);

    // A plan file must be UTF-8 text of a plan's length; nothing is written otherwise.
    bot.file("gbk.txt", &[0xd6, 0xa7, 0xb2, 0xbf, 0xb7, 0xbd, 0xb0, 0xb8]);
    let bad = bot.run(&["plan", "publish", "--branch", "学生第一党支部", "gbk.txt"]);
    bad.ended_with(2);
    assert_eq!(
        bad.stderr.trim_end(),
        "文件 gbk.txt 不是 UTF-8 编码的文本，请另存为 UTF-8 后重试。"
    );
    bot.file("short.txt", "方案".as_bytes());
    let short = bot.run(&["plan", "publish", "--branch", "学生第一党支部", "short.txt"]);
    short.ended_with(2);
    assert_eq!(
        short.stderr.trim_end(),
        "支部工作方案至少需要 10 个字，请补充后重新输入。"
    );
    bot.file(
        "plan.txt",
        "\u{feff}一、每月组织一次主题党日；二、每位党员结对帮扶一名同学。\n".as_bytes(),
    );
    let run = bot.run(&["plan", "publish", "--branch", "学生第一党支部", "plan.txt"]);
    run.succeeded();
    assert_eq!(
        run.stdout.trim_end(),
        "已公布学生第一党支部的支部工作方案，党员和群众可用 /plan 学生第一党支部 查看。"
    );
    let missing = bot.run(&["plan", "missing"]);
    missing.succeeded();
    assert_eq!(
        missing.stdout.trim_end(),
        "尚未公布工作方案的支部有 2 个：学生第二党支部、教工第一党支部。"
    );
    let show = bot.run(&["plan", "show", "学生第一党支部"]);
    assert!(
        show.stdout
            .ends_with("：\n一、每月组织一次主题党日；二、每位党员结对帮扶一名同学。\n"),
        "{show:?}"
    );

    // An activity: a kind that is none, a participant of another branch, then logged.
    let log = |kind: &str, who: &str| {
        bot.run(&[
            "activity",
            "log",
            "--branch",
            "学生第一党支部",
            "--kind",
            kind,
            "--date",
            "今天",
            "--place",
            "社区服务中心",
            "--participants",
            who,
            "为社区老人讲解智能手机的使用方法",
        ])
    };
    let bad = log("打球", "S101,S103");
    bad.ended_with(2);
    assert_eq!(
        bad.stderr.trim_end(),
        "无法识别活动类别“打球”，可选：结对帮扶、志愿服务、走访慰问、进社区。"
    );
    let bad = log("志愿服务", "S101,S201");
    bad.ended_with(2);
    assert_eq!(
        bad.stderr.trim_end(),
        "谢文博（S201）不在本支部名册中，不能列为参加人。"
    );
    // A participant named twice is asked once.
    let run = log("volunteer", "S101,S103,S103");
    run.succeeded();
    assert!(
        run.stdout.starts_with("已登记第 1 号活动：")
            && run
                .stdout
                .trim_end()
                .ends_with(" 志愿服务，已请 2 位参加人确认。"),
        "{run:?}"
    );
    // A photo of it (sent in chat, filed to the activity) shows with it.
    let jpg = std::fs::read(Path::new(DATA).join("attachments/photo.jpg")).unwrap();
    store_file(
        &bot,
        &jpg,
        "讲解现场.jpg",
        chrono::Utc::now(),
        Some(branchbot::attachments::Owner::Activity(1)),
    );
    let show = bot.run(&["activity", "show", "1"]);
    show.succeeded();
    let lines = show.stdout_lines();
    assert!(
        lines[0].starts_with("第 1 号活动：") && lines[0].contains(" 志愿服务（学生第一党支部）"),
        "{show:?}"
    );
    assert!(
        lines
            .last()
            .is_some_and(|l| l.starts_with("附件 #") && l.ends_with("：照片 讲解现场.jpg")),
        "{show:?}"
    );
    let report = bot.run(&["report", "activities", "--out", "out"]);
    report.succeeded();
    let rows = report.stdout_lines();
    assert_eq!(rows.len(), 1, "{report:?}");
    assert!(
        rows[0].contains("\t学生第一党支部\t志愿服务\t社区服务中心\t"),
        "{report:?}"
    );

    // 领导点评: a phase that is none or has not started is refused.
    let comment = |phase: &str| {
        bot.run(&[
            "comment",
            "add",
            "--branch",
            "学生第一党支部",
            "--phase",
            phase,
            "组织生活规范，服务活动有特色。",
        ])
    };
    let bad = comment("9");
    bad.ended_with(2);
    assert_eq!(
        bad.stderr.trim_end(),
        "没有第 9 阶段，本次创先争优活动共 4 个阶段。"
    );
    let bad = comment("3");
    bad.ended_with(2);
    assert_eq!(bad.stderr.trim_end(), "第 3 阶段尚未开始，暂不能点评。");
    let run = comment("1");
    run.succeeded();
    assert_eq!(
        run.stdout.trim_end(),
        "已保存学生第一党支部第一阶段：发动部署、党内评优表彰的领导点评，已推送给 9 位同志。"
    );
    let list = bot.run(&["comment", "list"]);
    assert_eq!(
        list.stdout.trim_end(),
        "【第一阶段：发动部署、党内评优表彰】学生第一党支部：组织生活规范，服务活动有特色。"
    );
}

/// Stores a file where the binary looks (the folder beside the database), uploaded at `at`,
/// and files it to `owner` when given, as chat would.
fn store_file(
    bot: &Bot,
    bytes: &[u8],
    name: &str,
    at: chrono::DateTime<chrono::Utc>,
    owner: Option<branchbot::attachments::Owner>,
) {
    use branchbot::attachments::service::{accept, link};
    use branchbot::attachments::{Files, Upload};
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let config = branchbot::config::Config {
            database_url: bot.database.clone(),
            ..Default::default()
        };
        let files = Files::from_settings(&config.settings().unwrap()).unwrap();
        let store = Store::open(&bot.database).await.unwrap();
        let mut tx = store.begin().await.unwrap();
        let upload = Upload {
            bytes,
            declared_name: Some(name),
            uploaded_by: None,
            at,
        };
        let a = accept(&files, &mut tx, upload).await.unwrap().unwrap();
        if let Some(owner) = owner {
            link(&mut tx, a.id, owner).await.unwrap();
        }
        tx.commit().await.unwrap();
        store.close().await;
    })
}

/// A meeting of 学生第一党支部 on 2026-05-04 with a photo (GPS position included) and a PDF
/// whose name carries a path, an activity-less unlinked photo, all stored where the binary
/// looks (the folder beside the database). Returns the meeting's id.
fn seed_attachments(bot: &Bot) -> i64 {
    use branchbot::attachments::Owner;
    use branchbot::domain::meetings::MeetingKind;
    use branchbot::meetings::store::{self as meetings, NewMeeting};
    // 2026-05-04 10:00 in Shanghai.
    let start = 1_777_860_000_000;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let meeting = runtime.block_on(async {
        let store = Store::open(&bot.database).await.unwrap();
        let mut tx = store.begin().await.unwrap();
        let branch = members::branch_id(&mut tx, "学生第一党支部")
            .await
            .unwrap()
            .unwrap();
        let meeting = meetings::create(
            &mut tx,
            &NewMeeting {
                branch_id: branch,
                kind: MeetingKind::General,
                starts_at: start,
                ends_at: start + 3_600_000,
                place: "党员活动室".into(),
                topic: "学习党章".into(),
                created_by: None,
                attendees: Vec::new(),
                signin_code: String::new(),
            },
            0,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        store.close().await;
        meeting
    });
    let jpg = std::fs::read(Path::new(DATA).join("attachments/photo.jpg")).unwrap();
    let pdf = std::fs::read(Path::new(DATA).join("attachments/notice.pdf")).unwrap();
    let at = chrono::DateTime::from_timestamp_millis(start).unwrap();
    for (bytes, name, owner) in [
        (&jpg, "合影.jpg", Some(Owner::Meeting(meeting))),
        (&pdf, "../../etc/passwd.pdf", Some(Owner::Meeting(meeting))),
        (&jpg, "later.jpg", None),
    ] {
        store_file(bot, bytes, name, at, owner);
    }
    meeting
}

#[test]
fn attachments_list_shows_a_meetings_photos_and_files_by_meeting_and_branch() {
    let bot = Bot::with_college("zh-CN");
    let meeting = seed_attachments(&bot);
    let run = bot.run(&["attachments", "list", "--meeting", &meeting.to_string()]);
    run.succeeded();
    let lines = run.stdout_lines();
    assert_eq!(lines.len(), 2, "{lines:?}");
    let pdf_row = format!("会议 #{meeting}\t文件\tpasswd.pdf\tapplication/pdf\t218\t");
    let jpg_row = format!("会议 #{meeting}\t照片\t合影.jpg\timage/jpeg\t543\t");
    assert!(lines[0].contains(&pdf_row), "newest first");
    assert!(lines[1].contains(&jpg_row));
    assert!(lines[1].contains("2026-05-04 10:00"));
    let run = bot.run(&[
        "attachments",
        "list",
        "--meeting",
        &meeting.to_string(),
        "--csv",
    ]);
    run.succeeded();
    assert!(
        run.stdout
            .starts_with("编号,所属,类别,名称,类型,字节,上传时间,SHA-256"),
        "{}",
        run.stdout
    );

    let run = bot.run(&["attachments", "list", "--branch", "学生第一党支部"]);
    run.succeeded();
    assert_eq!(run.stdout_lines().len(), 2);
    let run = bot.run(&["attachments", "list", "--branch", "教工第一党支部"]);
    run.succeeded();
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("没有照片或文件。"));
    let run = bot.run(&["attachments", "list"]);
    run.succeeded();
    let lines = run.stdout_lines();
    assert_eq!(lines.len(), 3);
    assert!(lines.iter().any(|l| l.contains("未关联\t照片\tlater.jpg")));

    let run = bot.run(&["attachments", "list", "--meeting", "9999"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("没有编号为 9999 的会议。"),
        "{}",
        run.stderr
    );
}

#[test]
fn report_meetings_with_files_writes_a_folder_per_meeting_and_counts_them() {
    let bot = Bot::with_college("zh-CN");
    let meeting = seed_attachments(&bot);
    let run = bot.run(&[
        "report",
        "meetings",
        "--period",
        "2026Q2",
        "--branch",
        "学生第一党支部",
        "--with-files",
        "--out",
        "out",
    ]);
    run.succeeded();
    assert!(
        run.stderr
            .contains("1 次会议的照片和文件已写入 out/meetings-2026Q2-files"),
        "{}",
        run.stderr
    );
    let folder = bot
        .dir
        .path()
        .join("out/meetings-2026Q2-files")
        .join(format!("2026-05-04 学生第一党支部 党员大会 #{meeting}"));
    let jpg = std::fs::read(Path::new(DATA).join("attachments/photo.jpg")).unwrap();
    let pdf = std::fs::read(Path::new(DATA).join("attachments/notice.pdf")).unwrap();
    assert_eq!(std::fs::read(folder.join("合影.jpg")).unwrap(), jpg);
    assert_eq!(std::fs::read(folder.join("passwd.pdf")).unwrap(), pdf);
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 2);
    assert!(!bot.dir.path().join("etc").exists());
    assert!(bot.dir.path().join("out/meetings-2026Q2.csv").exists());

    // The branch's sheet counts the meeting's photos and files.
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> =
        calamine::open_workbook(bot.dir.path().join("out/meetings-2026Q2.xlsx")).unwrap();
    let sheet = book.worksheet_range("学生第一党支部").unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let head = &rows[0];
    let col = head
        .iter()
        .position(|h| h == "照片和文件")
        .expect("the column");
    assert_eq!(rows[1][col], "2", "{rows:?}");
}

#[test]
fn attachments_sweep_deletes_only_old_objects_no_row_names() {
    let bot = Bot::with_college("zh-CN");
    seed_attachments(&bot);
    let folder = branchbot::config::attachments::default_folder(&bot.database);
    let stray_key = "ab/0123456789abcdef0123456789abcdef.pdf";
    let stray = folder.join(stray_key);
    std::fs::create_dir_all(stray.parent().unwrap()).unwrap();
    std::fs::write(&stray, b"%PDF-1.4 left behind").unwrap();
    let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    std::fs::File::options()
        .write(true)
        .open(&stray)
        .unwrap()
        .set_modified(two_hours_ago)
        .unwrap();

    let run = bot.run(&["attachments", "sweep", "--dry-run"]);
    run.succeeded();
    assert_eq!(run.stdout_lines(), vec![stray_key]);
    assert!(
        run.stderr
            .contains("将删除 1 个没有记录的存储对象（本次未删除）。"),
        "{}",
        run.stderr
    );
    assert!(stray.exists());

    let run = bot.run(&["attachments", "sweep"]);
    run.succeeded();
    assert!(
        run.stderr.contains("已删除 1 个没有记录的存储对象。"),
        "{}",
        run.stderr
    );
    assert!(!stray.exists());
    let run = bot.run(&["attachments", "list"]);
    run.succeeded();
    assert_eq!(run.stdout_lines().len(), 3, "the stored ones stay");
}
