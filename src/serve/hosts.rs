//! Which `Host` a request may name. Any web page can make a browser send requests to a name its
//! author's DNS points at 127.0.0.1 (DNS rebinding), and read the answers as its own; such
//! requests carry that name in `Host`. So only this machine's names are answered: `localhost`
//! and IP addresses, which no one else's DNS can redirect.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The names a request may use for the preview: `localhost`, `127.0.0.1`, `[::1]`, the
/// `--bind` address and the address a connection came in on, each with or without the port.
#[derive(Debug, Clone)]
pub struct AllowedHosts {
    bind: IpAddr,
    port: u16,
}

impl AllowedHosts {
    /// `port` is the port actually bound (not 0).
    pub fn new(bind: IpAddr, port: u16) -> AllowedHosts {
        AllowedHosts { bind, port }
    }

    /// Whether `host` (a `Host` header, or the authority of an absolute request URI) names this
    /// server. `local` is the address the connection came in on: with `--bind 0.0.0.0`, that is
    /// the address another device on the network typed.
    pub fn permits(&self, host: &str, local: IpAddr) -> bool {
        let Some((name, port)) = split_port(host) else {
            return false;
        };
        if port.is_some_and(|p| p != self.port) {
            return false;
        }
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        let ip = match name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
            Some(v6) => v6.parse::<Ipv6Addr>().ok().map(IpAddr::V6),
            None => name.parse::<Ipv4Addr>().ok().map(IpAddr::V4),
        };
        // IPv4 clients of a dual-stack socket arrive as `::ffff:a.b.c.d`: compared canonically.
        ip.is_some_and(|ip| {
            [
                IpAddr::V4(Ipv4Addr::LOCALHOST),
                IpAddr::V6(Ipv6Addr::LOCALHOST),
                self.bind,
                local,
            ]
            .iter()
            .any(|allowed| allowed.to_canonical() == ip.to_canonical())
        })
    }
}

/// `name:port` → (`name`, port); `[v6]:port` keeps its brackets. `None` for a malformed port.
fn split_port(host: &str) -> Option<(&str, Option<u16>)> {
    let name_end = if host.starts_with('[') {
        host.find(']')? + 1
    } else {
        host.find(':').unwrap_or(host.len())
    };
    let (name, rest) = host.split_at(name_end);
    if rest.is_empty() {
        return Some((name, None));
    }
    let port = rest.strip_prefix(':')?;
    if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((name, Some(port.parse().ok()?)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

    #[test]
    fn only_this_machines_names_are_answered() {
        let hosts = AllowedHosts::new(LOOPBACK, 1111);
        for good in [
            "localhost",
            "localhost:1111",
            "LocalHost:1111",
            "127.0.0.1",
            "127.0.0.1:1111",
            "[::1]",
            "[::1]:1111",
            "[0:0:0:0:0:0:0:1]:1111",
        ] {
            assert!(hosts.permits(good, LOOPBACK), "{good}");
        }
        for bad in [
            "evil.example",
            "evil.example:1111",
            "localhost:2222",
            "localhost:",
            "localhost:+1111",
            "localhost.",
            "127.0.0.1:99999",
            "127.0.0.2",
            "192.168.1.5:1111",
            "::1",
            "[::1",
            "[127.0.0.1]",
            "localhost@evil.example",
            "",
        ] {
            assert!(!hosts.permits(bad, LOOPBACK), "{bad}");
        }
    }

    #[test]
    fn the_bound_address_and_the_connections_own_address_are_answered() {
        let lan: IpAddr = "192.168.1.5".parse().expect("ip");
        let named = AllowedHosts::new(lan, 8000);
        assert!(named.permits("192.168.1.5:8000", LOOPBACK));
        assert!(named.permits("localhost:8000", LOOPBACK));
        assert!(!named.permits("192.168.1.6:8000", LOOPBACK));

        let any = AllowedHosts::new(IpAddr::V6(Ipv6Addr::UNSPECIFIED), 8000);
        let mapped: IpAddr = "::ffff:192.168.1.5".parse().expect("ip");
        assert!(any.permits("192.168.1.5:8000", mapped));
        assert!(!any.permits("192.168.1.6:8000", mapped));
        assert!(!any.permits("laptop.local:8000", mapped));
    }
}
