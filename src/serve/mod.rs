//! `lectern serve`: builds the site in memory, serves it on loopback under the base path,
//! watches the site's files, rebuilds on every save and tells open tabs to reload. Errors show
//! in the terminal and over the page, and the last good build stays served.

mod connections;
mod engine;
mod hosts;
mod http;
mod state;
mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::site::BuildOptions;
pub use engine::{Built, Engine, Failure};
pub use http::clean_path;
use state::Shared;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 takes any free port.
    pub port: u16,
    pub open: bool,
    pub build: BuildOptions,
    /// Poll the file system instead of relying on change notifications.
    pub poll: bool,
    /// Also write each good build here.
    pub output: Option<PathBuf>,
}

/// Runs the server until interrupted.
pub fn run(options: ServeOptions) -> Result<(), Diagnostics> {
    root_problem(&options.root)?;
    if let Some(out) = &options.output
        && let Some((message, hint)) = crate::build::output_dir_problem(&options.root, out, false)
    {
        return Err(Diagnostic::general(message).with_hint(hint).into());
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Diagnostics::from(Diagnostic::general(format!("cannot start: {e}"))))?;
    runtime.block_on(serve(options))
}

/// A root that is not a folder can be neither built nor watched: one error says so, rather
/// than a failed build followed by a failure to watch. A folder without site.toml is served
/// (with the error over the page) until site.toml appears.
fn root_problem(root: &Path) -> Result<(), Diagnostics> {
    let hint = "pass --root with the folder that holds site.toml, or create a site with `lectern init DIR`";
    match std::fs::metadata(root) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(Diagnostic::general(format!(
            "the site root `{}` is a file, not a folder",
            root.display()
        ))
        .with_hint(hint)
        .into()),
        Err(e) => Err(Diagnostic::general(format!(
            "cannot open the site folder `{}`: {e}",
            root.display()
        ))
        .with_hint(hint)
        .into()),
    }
}

async fn serve(options: ServeOptions) -> Result<(), Diagnostics> {
    let mut engine = Engine::new(options.root.clone(), options.build, options.output.clone());
    let (shared, title) = first_build(&mut engine);

    let listener = bind(options.bind, options.port).await?;
    let address = listener.local_addr().map_err(|e| io_error(&e))?;
    // Watching starts before the address is announced, so no edit made after it is missed.
    let _watcher =
        watch::start(&options.root, options.poll, engine, Arc::clone(&shared)).map_err(|e| {
            Diagnostics::from(
                Diagnostic::general(format!("cannot watch the site's files: {e}")).with_hint(
                    "try `lectern serve --poll` on file systems without change notifications",
                ),
            )
        })?;

    let url = format!("http://{}{}", display_addr(address), shared.base_path());
    eprintln!("serving {title} at {url}");
    eprintln!("watching content/, themes/, static/ and site.toml; press Ctrl-C to stop");
    if options.open {
        open_browser(&url);
    }

    let app = http::router(Arc::clone(&shared));
    let hosts = hosts::AllowedHosts::new(options.bind, address.port());
    connections::serve(listener, app, hosts, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await;
    Ok(())
}

/// The first build, whose errors are shown over a placeholder page until they are fixed.
/// Returns what to serve and the site's title.
fn first_build(engine: &mut Engine) -> (Arc<Shared>, String) {
    let started = std::time::Instant::now();
    match engine.rebuild(&[]) {
        Ok(built) => {
            print_warnings(&built.warnings);
            let files = match engine.update_search() {
                Ok(files) => files,
                Err(e) => {
                    eprintln!("{e}");
                    built.files
                }
            };
            eprintln!(
                "built {} pages in {} ms",
                built.pages,
                started.elapsed().as_millis()
            );
            (Shared::new(built.base_path, files, None), built.title)
        }
        Err(failure) => {
            let report = failure.diagnostics.report();
            eprint!("{report}");
            (
                Shared::new(failure.base_path, engine::placeholder(), Some(report)),
                String::from("the site"),
            )
        }
    }
}

async fn bind(ip: IpAddr, port: u16) -> Result<tokio::net::TcpListener, Diagnostics> {
    match tokio::net::TcpListener::bind(SocketAddr::new(ip, port)).await {
        Ok(l) => Ok(l),
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            let mut hint = "pass --port 0 to take any free port".to_string();
            for candidate in port.saturating_add(1)..port.saturating_add(50) {
                if std::net::TcpListener::bind(SocketAddr::new(ip, candidate)).is_ok() {
                    hint = format!(
                        "port {candidate} is free: pass --port {candidate}, or --port 0 for any free port"
                    );
                    break;
                }
            }
            Err(
                Diagnostic::general(format!("port {port} on {ip} is already in use"))
                    .with_hint(hint)
                    .into(),
            )
        }
        Err(e) => Err(Diagnostic::general(format!("cannot listen on {ip}:{port}: {e}")).into()),
    }
}

fn display_addr(addr: SocketAddr) -> String {
    match addr.ip() {
        IpAddr::V6(ip) => format!("[{ip}]:{}", addr.port()),
        IpAddr::V4(ip) => format!("{ip}:{}", addr.port()),
    }
}

fn io_error(e: &dyn std::fmt::Display) -> Diagnostics {
    Diagnostic::general(format!("server error: {e}")).into()
}

fn print_warnings(warnings: &Diagnostics) {
    if !warnings.is_empty() {
        eprint!("{}", warnings.report());
    }
}

/// Opens `url` in the default browser, without waiting for it.
fn open_browser(url: &str) {
    let (program, args): (&str, Vec<&str>) = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    if let Err(e) = std::process::Command::new(program)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        eprintln!("could not open a browser ({program}: {e}); open {url} yourself");
    }
}
