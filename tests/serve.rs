//! `lectern serve` as a writer uses it: the real binary on a free port, pages fetched over
//! loopback, files edited in a temporary site, and the events open tabs receive.

#![cfg(feature = "serve")]

mod common;

#[path = "../benches/corpus.rs"]
mod corpus;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::TempSite;

/// A running `lectern serve`, stopped when dropped.
struct Server {
    child: Child,
    addr: String,
    base: String,
    log: mpsc::Receiver<String>,
}

impl Server {
    fn start(site: &TempSite, extra: &[&str]) -> Server {
        let child = Command::new(env!("CARGO_BIN_EXE_lectern"))
            .args(["serve", "--port", "0"])
            .args(extra)
            .current_dir(site.root())
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("start lectern serve");
        let (tx, rx) = mpsc::channel();
        // Owned from here on, so the process is killed and reaped even if startup fails.
        let mut server = Server {
            child,
            addr: String::new(),
            base: String::new(),
            log: rx,
        };
        let stderr = server.child.stderr.take().expect("stderr");
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let line = server.wait_log(" at http://");
        let url = line.split(" at http://").nth(1).expect("url");
        let (addr, path) = url.split_once('/').expect("url has a path");
        server.addr = addr.to_string();
        server.base = format!("/{path}");
        server
    }

    /// Sends raw bytes, returns the raw response (or what came before the connection closed).
    fn raw(&self, request: &[u8]) -> String {
        let mut s = TcpStream::connect(&self.addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(5)))
            .expect("timeout");
        let _ = s.write_all(request);
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    }

    fn get(&self, path: &str) -> (u16, String, String) {
        self.get_as(path, &self.addr)
    }

    /// A GET naming `host` in its `Host` header.
    fn get_as(&self, path: &str, host: &str) -> (u16, String, String) {
        let response = self.raw(
            format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
        );
        let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
        (status_of(head), head.to_ascii_lowercase(), body.to_string())
    }

    fn port(&self) -> &str {
        self.addr.rsplit_once(':').map_or("", |(_, p)| p)
    }

    /// Opens the event stream; events arrive on the returned channel as their JSON text.
    fn events(&self) -> mpsc::Receiver<String> {
        let mut s = TcpStream::connect(&self.addr).expect("connect");
        let req = format!(
            "GET {}__lectern/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
            self.base, self.addr
        );
        s.write_all(req.as_bytes()).expect("write");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(s).lines().map_while(Result::ok) {
                if let Some(data) = line.strip_prefix("data: ")
                    && tx.send(data.to_string()).is_err()
                {
                    break;
                }
            }
        });
        // Give the subscription a moment to register before the test edits files.
        std::thread::sleep(Duration::from_millis(300));
        rx
    }

    fn wait_log(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            match self
                .log
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            {
                Ok(line) if line.contains(needle) => return line,
                Ok(_) => {}
                Err(_) => panic!("server never logged {needle:?}"),
            }
        }
    }

    /// Fetches `path` until its body contains `needle`, and returns the body.
    fn wait_for(&self, path: &str, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let (_, _, body) = self.get(path);
            if body.contains(needle) {
                return body;
            }
            if Instant::now() > deadline {
                let log: Vec<String> = self.log.try_iter().collect();
                panic!(
                    "{path} never showed {needle:?}; the server logged:\n{}",
                    log.join("\n")
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits for the log to fall quiet (the last rebuild done), then checks that nothing it
    /// printed since the start was an error.
    fn assert_no_errors(&self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut lines: Vec<String> = Vec::new();
        while let Ok(line) = self.log.recv_timeout(Duration::from_secs(1)) {
            lines.push(line);
            if Instant::now() > deadline {
                break;
            }
        }
        let bad: Vec<&String> = lines
            .iter()
            .filter(|l| {
                let l = l.to_ascii_lowercase();
                l.contains("error") || l.contains("failed") || l.contains("directory")
            })
            .collect();
        assert!(bad.is_empty(), "the server reported:\n{}", lines.join("\n"));
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn status_of(head: &str) -> u16 {
    head.split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// Reads one response from a kept-alive connection (its head, then Content-Length bytes).
fn read_response(stream: &mut TcpStream) -> (u16, String) {
    let mut bytes = Vec::new();
    let mut byte = [0u8; 1];
    while !bytes.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => bytes.push(byte[0]),
            other => panic!("response head cut short ({other:?}): {bytes:?}"),
        }
    }
    let head = String::from_utf8_lossy(&bytes).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length: "))
        .and_then(|n| n.trim().parse().ok())
        .expect("content-length");
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).expect("body");
    (status_of(&head), head)
}

/// How long the server took to close `stream` (reading and discarding whatever it sends), or
/// `None` when it was still open after `limit`.
fn closed_within(stream: &mut TcpStream, limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut buf = [0u8; 1024];
    loop {
        let left = limit.checked_sub(started.elapsed())?;
        stream
            .set_read_timeout(Some(left.max(Duration::from_millis(1))))
            .expect("timeout");
        match stream.read(&mut buf) {
            Ok(0) => return Some(started.elapsed()),
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return None;
            }
            // Reset by the server: closed too.
            Err(_) => return Some(started.elapsed()),
        }
    }
}

fn next_event(rx: &mpsc::Receiver<String>, kind: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let e = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .unwrap_or_else(|_| panic!("no {kind} event"));
        if e.contains(&format!("\"type\":\"{kind}\"")) {
            return e;
        }
    }
}

#[test]
fn serves_pages_under_the_base_path_with_live_reload_injected() {
    let site = TempSite::from_fixture("sites/basic");
    let server = Server::start(&site, &[]);
    assert_eq!(server.base, "/course/");
    let (status, head, body) = server.get("/course/essays/alpha/");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/html; charset=utf-8"));
    assert!(head.contains("cache-control: no-store"));
    assert!(body.contains("<h1>Alpha essay</h1>"));
    assert!(body.contains("<script src=\"/course/__lectern/live.js\""));
    let (status, head, _) = server.get("/course/style.css");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/css"));
    let (status, head, _) = server.get("/course/img/logo.svg");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: image/svg+xml"));
    assert!(
        !site.out().exists(),
        "serve writes no output folder unless asked"
    );
}

/// A large course's index comes in compressed parts, served as gzip files: with no
/// `Content-Encoding`, which a browser would undo before the search client reads them.
#[test]
fn the_search_index_parts_are_served_as_gzip_files() {
    let site = TempSite {
        dir: tempfile::tempdir().expect("tempdir"),
    };
    corpus::generate(site.root(), 400, &corpus::Options::short()).expect("generate corpus");
    let server = Server::start(&site, &[]);
    let base = server.base.clone();
    server.wait_for(&format!("{base}search/manifest.json"), "\"single\":false");
    let raw = server.raw(
        format!(
            "GET {base}search/d/0.json.gz HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            server.addr
        )
        .as_bytes(),
    );
    let head = raw
        .split("\r\n\r\n")
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    assert_eq!(status_of(&head), 200, "{head}");
    assert!(head.contains("content-type: application/gzip"), "{head}");
    assert!(!head.contains("content-encoding"), "{head}");
}

#[test]
fn requests_outside_the_base_path_redirect_and_missing_pages_get_the_404_page() {
    let site = TempSite::from_fixture("sites/basic");
    let server = Server::start(&site, &[]);
    let (status, head, _) = server.get("/essays/alpha/");
    assert_eq!(status, 302);
    assert!(head.contains("location: /course/"));
    let (status, head, _) = server.get("/course/essays");
    assert_eq!(status, 302);
    assert!(head.contains("location: /course/essays/"));
    let (status, _, body) = server.get("/course/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"));
}

#[test]
fn traversal_and_malformed_requests_never_escape_or_crash() {
    let site = TempSite::from_fixture("sites/basic");
    std::fs::write(site.root().join("secret.txt"), "TOP-SECRET").expect("write");
    let server = Server::start(&site, &[]);
    for path in [
        "/course/../secret.txt",
        "/course/../../../../etc/passwd",
        "/course/%2e%2e/secret.txt",
        "/course/%2E%2E%2Fsecret.txt",
        "/course/..%2fsecret.txt",
        "/course/..%5csecret.txt",
        "/course/..\\secret.txt",
        "/course//etc/passwd",
        "/course/%00",
        "/course/C:/Windows/win.ini",
        "/course/%ff%fe",
        "/course/site.toml",
        "/course/content/essays/alpha.md",
    ] {
        let (status, _, body) = server.get(path);
        assert_ne!(status, 200, "{path}: {body}");
        assert!(
            !body.contains("TOP-SECRET") && !body.contains("root:"),
            "{path} leaked"
        );
    }
    let addr = &server.addr;
    for raw in [
        "GARBAGE\r\n\r\n".to_string(),
        "GET\r\n\r\n".to_string(),
        "GET /course/ HTTP/9.9\r\n\r\n".to_string(),
        format!(
            "GET http://{addr}/../secret.txt HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        ),
        format!(
            "GET http://evil.example/../secret.txt HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        ),
        "\x00\x01\x02\x03\r\n\r\n".to_string(),
        format!("GET /course/ HTTP/1.1\r\nHost: {addr}\r\nContent-Length: -5\r\n\r\n"),
        format!(
            "POST /course/ HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc"
        ),
    ] {
        let response = server.raw(raw.as_bytes());
        assert!(!response.contains("TOP-SECRET"));
        assert!(
            !response.starts_with("HTTP/1.1 200"),
            "{raw:?} got {response}"
        );
    }
    let long = format!(
        "GET /course/{} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n",
        "a".repeat(100_000)
    );
    let _ = server.raw(long.as_bytes());
    // A client that connects and says nothing, or hangs up half-way, harms no one.
    let idle = TcpStream::connect(&server.addr).expect("connect");
    let mut half = TcpStream::connect(&server.addr).expect("connect");
    let _ = half.write_all(b"GET /course/ HT");
    drop(half);
    let (status, _, _) = server.get("/course/");
    assert_eq!(status, 200, "the server still answers");
    drop(idle);
}

#[test]
fn an_edit_rebuilds_and_tells_open_tabs_which_pages_changed() {
    let site = TempSite::from_fixture("sites/basic");
    let server = Server::start(&site, &[]);
    let events = server.events();
    let path = site.root().join("content/essays/alpha.md");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(
        &path,
        text.replace(
            "Trust is where we begin.",
            "Trust is where we begin, EDITED.",
        ),
    )
    .expect("write");
    let event = next_event(&events, "reload");
    assert!(event.contains("\"/course/essays/alpha/\""), "{event}");
    let (_, _, body) = server.get("/course/essays/alpha/");
    assert!(body.contains("EDITED"));
    let line = server.wait_log("rebuilt in");
    assert!(line.contains("content/essays/alpha.md changed"), "{line}");
}

#[test]
fn polling_sees_edits_where_notifications_are_missing() {
    let site = TempSite::from_fixture("sites/basic");
    let server = Server::start(&site, &["--poll"]);
    let events = server.events();
    let path = site.root().join("content/essays/alpha.md");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(
        &path,
        text.replace(
            "Trust is where we begin.",
            "Trust is where we begin, POLLED.",
        ),
    )
    .expect("write");
    next_event(&events, "reload");
    assert!(server.get("/course/essays/alpha/").2.contains("POLLED"));
}

#[test]
fn renaming_a_file_moves_its_page() {
    let site = TempSite::from_fixture("sites/basic");
    site.write(
        "content/essays/solo.md",
        "---\ntitle: Solo\n---\n\nAlone.\n",
    );
    let server = Server::start(&site, &[]);
    let events = server.events();
    std::fs::rename(
        site.root().join("content/essays/solo.md"),
        site.root().join("content/essays/solo-two.md"),
    )
    .expect("rename");
    let e = next_event(&events, "reload");
    assert!(e.contains("/course/essays/solo-two/"), "{e}");
    assert_eq!(server.get("/course/essays/solo-two/").0, 200);
    assert_eq!(server.get("/course/essays/solo/").0, 404);
}

#[test]
fn atomic_saves_new_files_deletions_and_css_are_all_seen() {
    let site = TempSite::from_fixture("sites/basic");
    let server = Server::start(&site, &[]);
    let events = server.events();
    // An editor's atomic save: write a temporary file beside it, then rename over the original.
    let tmp = site.root().join("content/glossary/.trust.md.swp");
    let text =
        std::fs::read_to_string(site.root().join("content/glossary/trust.md")).expect("read");
    std::fs::write(&tmp, text.replace("Trust is old.", "Trust is ancient.")).expect("write");
    std::fs::rename(&tmp, site.root().join("content/glossary/trust.md")).expect("rename");
    next_event(&events, "reload");
    assert!(
        server
            .get("/course/glossary/trust/")
            .2
            .contains("Trust is ancient.")
    );

    site.write(
        "content/glossary/new-term.md",
        "---\nterm: New term\nsummary: Just added.\n---\n\nHello.\n",
    );
    let e = next_event(&events, "reload");
    assert!(e.contains("/course/glossary/new-term/"), "{e}");
    assert_eq!(server.get("/course/glossary/new-term/").0, 200);

    site.remove("content/glossary/new-term.md");
    next_event(&events, "reload");
    assert_eq!(server.get("/course/glossary/new-term/").0, 404);

    site.write("static/extra.css", "body { color: green }");
    let e = next_event(&events, "css");
    assert!(e.contains("/course/extra.css"), "{e}");
}

#[test]
fn a_broken_file_shows_an_error_and_the_last_good_site_stays_served() {
    let site = TempSite::from_fixture("sites/basic");
    let server = Server::start(&site, &[]);
    let events = server.events();
    site.write(
        "content/essays/broken.md",
        "---\ntitle: Broken\n---\n\nSee [[nowhere]].\n",
    );
    let e = next_event(&events, "error");
    assert!(
        e.contains("content/essays/broken.md:5:5: error: link to `nowhere`"),
        "{e}"
    );
    assert!(
        e.contains("5 | See [[nowhere]]."),
        "the event carries the terminal's text: {e}"
    );
    server.wait_log("still serving the last good build");
    assert_eq!(server.get("/course/essays/alpha/").0, 200);
    // A tab opened now learns of the error as soon as it connects.
    let late = server.events();
    next_event(&late, "error");

    site.write(
        "content/essays/broken.md",
        "---\ntitle: Broken\n---\n\nSee [[alpha]].\n",
    );
    next_event(&events, "ok");
    assert_eq!(server.get("/course/essays/broken/").0, 200);
}

#[test]
fn a_port_in_use_is_reported_with_a_free_one_to_try() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    let site = TempSite::from_fixture("sites/basic");
    let out = site.run(&["serve", "--port", &port]);
    assert_eq!(out.status.code(), Some(1));
    let err = common::stderr(&out);
    assert!(
        err.contains(&format!("port {port} on 127.0.0.1 is already in use")),
        "{err}"
    );
    assert!(err.contains("--port"), "{err}");
}

#[test]
fn facilitator_preview_shows_the_notes() {
    let site = TempSite::from_fixture("sites/basic");
    let server = Server::start(&site, &["--facilitator"]);
    let (_, _, body) = server.get("/course/questions/opening/");
    assert!(body.contains("SECRET-FACILITATOR-MARKER"));
    assert!(body.contains("class=\"facilitator-notes\""));
    assert!(body.contains("Facilitator edition"));
}

/// The server closes connections after 5 s without a complete request head; the limits here
/// leave room for a loaded machine.
const CLOSE_LIMIT: Duration = Duration::from_secs(15);

#[test]
fn a_connection_that_sends_half_a_request_head_is_closed() {
    let site = TempSite::from_fixture("sites/basic");
    let server = Server::start(&site, &[]);
    let mut half = TcpStream::connect(&server.addr).expect("connect");
    half.write_all(b"GET /course/ HTTP/1.1\r\nHost: loc")
        .expect("write");
    let mut silent = TcpStream::connect(&server.addr).expect("connect");
    assert!(
        closed_within(&mut half, CLOSE_LIMIT).is_some(),
        "a half-sent head kept its connection open"
    );
    assert!(
        closed_within(&mut silent, CLOSE_LIMIT).is_some(),
        "a connection that never spoke was kept open"
    );
    assert_eq!(server.get("/course/").0, 200, "the server still answers");
}

#[test]
fn an_idle_kept_alive_connection_is_closed() {
    let site = TempSite::from_fixture("sites/basic");
    let server = Server::start(&site, &[]);
    let mut conn = TcpStream::connect(&server.addr).expect("connect");
    conn.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let request = format!("GET /course/ HTTP/1.1\r\nHost: {}\r\n\r\n", server.addr);
    // Two requests on one connection: it is kept alive between requests...
    for _ in 0..2 {
        conn.write_all(request.as_bytes()).expect("write");
        let (status, head) = read_response(&mut conn);
        assert_eq!(status, 200);
        assert!(!head.contains("connection: close"), "{head}");
    }
    // ...but not forever once idle.
    let closed = closed_within(&mut conn, CLOSE_LIMIT);
    assert!(closed.is_some(), "an idle connection was kept open");
    assert!(
        closed >= Some(Duration::from_secs(1)),
        "closed at once ({closed:?}), not after being idle"
    );
}

#[test]
fn requests_for_other_hosts_are_refused() {
    let site = TempSite::from_fixture("sites/basic");
    let server = Server::start(&site, &[]);
    let port = server.port().to_string();
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        "localhost:1".to_string(),
    ] {
        let (status, head, body) = server.get_as("/course/", &host);
        assert_eq!(status, 403, "{host}");
        assert!(head.contains("content-type: text/plain"), "{host}: {head}");
        assert!(body.contains("localhost"), "{host}: {body}");
    }
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        "localhost".to_string(),
        "127.0.0.1".to_string(),
    ] {
        let (status, _, body) = server.get_as("/course/essays/alpha/", &host);
        assert_eq!(status, 200, "{host}");
        assert!(body.contains("<h1>Alpha essay</h1>"), "{host}");
    }
    // No Host at all, or an absolute URI naming another host, is refused as well.
    let response = server.raw(b"GET /course/ HTTP/1.0\r\n\r\n");
    assert!(response.starts_with("HTTP/1.0 403"), "{response}");
    let response = server.raw(
        format!(
            "GET http://evil.example:{port}/course/ HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            server.addr
        )
        .as_bytes(),
    );
    assert!(response.starts_with("HTTP/1.1 403"), "{response}");
}

#[test]
fn a_missing_root_is_one_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("no-such-site");
    let mut child = Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(["serve", "--port", "0", "--root"])
        .arg(&missing)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start lectern serve");
    // It must exit by itself; a server left running would hang the test.
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("serve --root with a missing folder kept running");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut err = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut err)
        .expect("read stderr");
    assert_eq!(status.code(), Some(1), "{err}");
    assert_eq!(err.matches("error:").count(), 1, "{err}");
    assert!(err.contains("no-such-site"), "{err}");
    assert!(!err.contains("watch"), "{err}");
}

/// Replaces a line of `content/essays/alpha.md` under `content` (wherever that folder is now)
/// as editors save: a temporary file renamed over the original, which changes the folder too.
fn edit_alpha(content: &std::path::Path, marker: &str) {
    let path = content.join("essays/alpha.md");
    let text = std::fs::read_to_string(&path).expect("read");
    let edited = text.replacen(
        "Trust is where we begin",
        &format!("Trust is where we begin, {marker}"),
        1,
    );
    assert_ne!(text, edited, "the fixture changed");
    let tmp = content.join("essays/.alpha.md.swp");
    std::fs::write(&tmp, edited).expect("write");
    std::fs::rename(&tmp, &path).expect("rename");
}

/// The poller compares times in whole seconds: after this, folders changed or made are newer
/// than the ones it saw at the start, and it reports them (as it would in use).
fn let_a_second_pass() {
    std::thread::sleep(Duration::from_millis(1100));
}

/// `mv content c2; (edit); mv c2 content`: seen, and the folder is watched again after.
fn content_moved_away_and_back(watch: &[&str]) {
    let site = TempSite::from_fixture("sites/basic");
    let server = Server::start(&site, watch);
    let content = site.root().join("content");
    let away = site.root().join("c2");
    let_a_second_pass();
    std::fs::rename(&content, &away).expect("move away");
    edit_alpha(&away, "MOVED-BACK");
    std::fs::rename(&away, &content).expect("move back");
    server.wait_for("/course/essays/alpha/", "MOVED-BACK");
    edit_alpha(&content, "WATCHED-AGAIN");
    server.wait_for("/course/essays/alpha/", "WATCHED-AGAIN");
    server.assert_no_errors();
}

/// `rm -rf content; cp -r backup content`: seen, and the folder is watched again after.
fn content_removed_and_copied_back(watch: &[&str]) {
    let site = TempSite::from_fixture("sites/basic");
    let backup = tempfile::tempdir().expect("tempdir");
    let content = site.root().join("content");
    common::copy_tree(&content, &backup.path().join("content"));
    edit_alpha(&backup.path().join("content"), "RESTORED");
    let server = Server::start(&site, watch);
    let_a_second_pass();
    std::fs::remove_dir_all(&content).expect("rm -rf content");
    common::copy_tree(&backup.path().join("content"), &content);
    server.wait_for("/course/essays/alpha/", "RESTORED");
    edit_alpha(&content, "WATCHED-AGAIN");
    server.wait_for("/course/essays/alpha/", "WATCHED-AGAIN");
    server.assert_no_errors();
}

/// A static/ folder made after the start is served, and watched.
fn static_created_after_start(watch: &[&str]) {
    let site = TempSite::from_fixture("sites/basic");
    std::fs::remove_dir_all(site.root().join("static")).expect("rm static");
    // about.md shows static/img/logo.svg: without static/, that image is missing.
    site.write("content/about.md", "---\ntitle: About\n---\n\nNo logo.\n");
    let server = Server::start(&site, watch);
    assert_eq!(server.get("/course/extra.css").0, 404);
    site.write("static/extra.css", "body { color: #123456 }");
    server.wait_for("/course/extra.css", "#123456");
    site.write("static/extra.css", "body { color: #654321 }");
    server.wait_for("/course/extra.css", "#654321");
    server.assert_no_errors();
}

/// A themes/ folder made after the start overrides the built-in theme, and is watched.
fn themes_created_after_start(watch: &[&str]) {
    let site = TempSite::from_fixture("sites/basic");
    assert!(!site.root().join("themes").exists());
    let server = Server::start(&site, watch);
    let footer = "themes/default/templates/partials/footer.html";
    site.write(footer, "<footer>THEME-FOOTER</footer>");
    server.wait_for("/course/essays/alpha/", "THEME-FOOTER");
    site.write(footer, "<footer>THEME-FOOTER-EDITED</footer>");
    server.wait_for("/course/essays/alpha/", "THEME-FOOTER-EDITED");
    server.assert_no_errors();
}

#[test]
fn a_content_folder_moved_away_and_back_is_seen() {
    content_moved_away_and_back(&[]);
}

#[test]
fn a_content_folder_moved_away_and_back_is_seen_when_polling() {
    content_moved_away_and_back(&["--poll"]);
}

#[test]
fn a_content_folder_removed_and_copied_back_is_seen() {
    content_removed_and_copied_back(&[]);
}

#[test]
fn a_content_folder_removed_and_copied_back_is_seen_when_polling() {
    content_removed_and_copied_back(&["--poll"]);
}

#[test]
fn a_static_folder_created_after_the_start_is_served() {
    static_created_after_start(&[]);
}

#[test]
fn a_static_folder_created_after_the_start_is_served_when_polling() {
    static_created_after_start(&["--poll"]);
}

#[test]
fn a_themes_folder_created_after_the_start_is_used() {
    themes_created_after_start(&[]);
}

#[test]
fn a_themes_folder_created_after_the_start_is_used_when_polling() {
    themes_created_after_start(&["--poll"]);
}

#[test]
fn the_live_reload_stream_outlives_the_request_head_timeout() {
    let site = TempSite::from_fixture("sites/basic");
    let server = Server::start(&site, &[]);
    let events = server.events();
    // Longer than the 5 s a connection may wait for a request head: a response being sent is
    // not waiting for one, and must not be cut.
    std::thread::sleep(Duration::from_secs(7));
    edit_alpha(&site.root().join("content"), "STILL-LISTENING");
    let event = next_event(&events, "reload");
    assert!(event.contains("\"/course/essays/alpha/\""), "{event}");
}
