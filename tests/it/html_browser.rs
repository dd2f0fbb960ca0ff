//! The HTML report in a real browser (Debian's `chromium`, headless): the
//! page loads with no console error, a click on a word seeks the player to
//! it and lights it, and the player, waveform, pitch contour, number marks
//! and findings links are there. The page's own `?selftest` does the
//! clicking and writes what it saw into the page; `--dump-dom` reads it
//! back. Screenshots of the page (desktop and phone widths) are left in
//! `target/tmp/html-report/` for people to look at.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::html_report::write_page;
use super::support::skip;

/// The browser, if one is installed.
fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |d| d.join(name)))
        .find(|p| p.is_file())
}

/// Where the screenshots go.
fn shots() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("html-report")
}

/// Run headless Chromium with `args` on `url`; stdout and stderr, or a
/// panic naming what went wrong (it is killed after a minute).
fn headless(browser: &Path, profile: &Path, args: &[&str], url: &str) -> (String, String) {
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromium starts");
    let out = child.stdout.take().expect("stdout");
    let err = child.stderr.take().expect("stderr");
    let read = |mut r: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut s = String::new();
            let _ = r.read_to_string(&mut s);
            s
        })
    };
    let (out, err) = (read(Box::new(out)), read(Box::new(err)));
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "chromium did not finish in 60 s: {}",
                err.join().unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    (
        out.join().unwrap_or_default(),
        err.join().unwrap_or_default(),
    )
}

/// Console messages from Chromium's log on stderr. Chromium logs every
/// console message at INFO (`:INFO:CONSOLE:12] "Uncaught …"`), whatever
/// its level, and the page writes none of its own: any is an error, an
/// uncaught exception or a refused resource.
fn console_messages(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.contains(":CONSOLE")).collect()
}

fn file_url(p: &Path) -> String {
    format!("file://{}", p.display())
}

#[test]
fn the_page_plays_along_in_headless_chromium() {
    let Some(browser) = chromium() else {
        skip("the_page_plays_along_in_headless_chromium: chromium is not installed (apt-get install chromium)");
        return;
    };
    // Under target/, so the linked page reaches the fixture by a relative
    // path, as a page beside its recordings does.
    let d = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let profile = d.path().join("profile");
    let pages = d.path().join("pages");
    std::fs::create_dir_all(&pages).unwrap();

    // A linked page (the default) and one with the audio inside it.
    for (name, extra) in [("linked", &[][..]), ("embedded", &["--embed-audio"][..])] {
        let page = pages.join(format!("{name}.html"));
        let o = write_page("rattled", &page, extra);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let (dom, log) = headless(
            &browser,
            &profile,
            &["--dump-dom", "--virtual-time-budget=10000"],
            &format!("{}?selftest", file_url(&page)),
        );
        let report = dom
            .rsplit_once("<pre id=\"selftest\">")
            .and_then(|(_, s)| s.split("</pre>").next())
            .unwrap_or_else(|| panic!("{name}: the self-test wrote nothing\n{log}"));
        assert!(
            report.starts_with("result=pass"),
            "{name}: self-test failed:\n{report}\n--- chromium log:\n{log}"
        );
        let messages = console_messages(&log);
        assert!(messages.is_empty(), "{name}: console: {messages:#?}");
        // The clicked word is lit in the DOM the browser holds.
        assert!(dom.contains("class=\"w now\""), "{name}: no word lit");
    }

    // Screenshots of a real page, for people: desktop and phone widths.
    std::fs::create_dir_all(shots()).unwrap();
    let page = pages.join("linked.html");
    for (file, size) in [
        ("rattled-desktop.png", "1200,2000"),
        ("rattled-phone.png", "390,2400"),
    ] {
        let shot = shots().join(file);
        let _ = std::fs::remove_file(&shot);
        let (_, log) = headless(
            &browser,
            &profile,
            &[
                &format!("--screenshot={}", shot.display()),
                &format!("--window-size={size}"),
                "--hide-scrollbars",
                "--virtual-time-budget=3000",
            ],
            &file_url(&page),
        );
        let png = std::fs::read(&shot).unwrap_or_else(|_| panic!("no screenshot {file}\n{log}"));
        assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000, "{file}");
        eprintln!("screenshot: {}", shot.display());
    }
}
