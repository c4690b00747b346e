//! Accepting connections and serving HTTP/1.1 on each, as a service that may face a network
//! must: a client that stalls is disconnected, and only requests that name this machine are
//! answered (`hosts`). `axum::serve` takes no configuration, so connections are served here with
//! hyper's builder.

use std::future::Future;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{Request, header};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::Service as _;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};

use super::hosts::AllowedHosts;
use super::http;

/// How long a client may take to send a request's head. Hyper runs this timer whenever a
/// connection waits for a request: on a new connection, while a head arrives, and on a kept-alive
/// connection between requests. So it is also how long an idle connection stays open. Loopback
/// and a local network deliver a head in milliseconds, and a browser opens a new connection when
/// an idle one was closed. A response being sent (the live-reload event stream) is not affected.
pub const REQUEST_HEAD_TIMEOUT: Duration = Duration::from_secs(5);

/// Serves `router` on every connection `listener` accepts, until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    hosts: AllowedHosts,
    shutdown: impl Future<Output = ()>,
) {
    let hosts = Arc::new(hosts);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            () = &mut shutdown => return,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    pause_after(&e).await;
                    continue;
                }
            },
        };
        tokio::spawn(serve_connection(stream, router.clone(), Arc::clone(&hosts)));
    }
}

async fn serve_connection(stream: TcpStream, router: Router, hosts: Arc<AllowedHosts>) {
    let Ok(local) = stream.local_addr() else {
        return;
    };
    let local = local.ip();
    let routed = TowerToHyperService::new(router);
    let service = hyper::service::service_fn(move |request: Request<Incoming>| {
        let permitted = names_this_server(&request, &hosts, local);
        // The router's future does nothing until polled: a refused request never reaches it.
        let response = routed.call(request);
        async move {
            if permitted {
                response.await
            } else {
                Ok(http::unknown_host())
            }
        }
    });
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(REQUEST_HEAD_TIMEOUT);
    // A client that stalls, hangs up or sends garbage ends only its own connection; there is
    // nothing to tell the writer about it.
    let _ = builder
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

/// Whether the request names this server: by the authority of an absolute URI (which HTTP says
/// takes the place of `Host`), else by its one `Host` header.
fn names_this_server(request: &Request<Incoming>, hosts: &AllowedHosts, local: IpAddr) -> bool {
    if let Some(authority) = request.uri().authority() {
        return hosts.permits(authority.as_str(), local);
    }
    let mut values = request.headers().get_all(header::HOST).iter();
    match (values.next(), values.next()) {
        (Some(host), None) => host.to_str().is_ok_and(|h| hosts.permits(h, local)),
        _ => false,
    }
}

/// Errors about one connection (its client gave up before it was accepted) need no pause;
/// others, such as running out of file descriptors, would repeat at once, so the loop waits.
async fn pause_after(e: &std::io::Error) {
    use std::io::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset | ErrorKind::ConnectionRefused
    ) {
        return;
    }
    eprintln!("cannot accept a connection: {e}");
    tokio::time::sleep(Duration::from_secs(1)).await;
}
