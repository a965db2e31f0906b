//! The SSRF guard: which destinations may be fetched.
//!
//! In: a URL (each redirect hop) or the addresses a host name resolves to. Out: allowed, or
//! the reason it is refused. Refused: loopback, private (RFC 1918, fc00::/7), link-local,
//! unspecified, broadcast, CGNAT, multicast, reserved, and the IPv4-mapped / -compatible /
//! NAT64 forms of those — unless the URL's `host:port` is listed in `fetch.allow_private`.
//!
//! Two places check: [`check_url`] on every hop (scheme, and IP-literal hosts, which reqwest
//! connects to without calling a resolver), and [`GuardedResolver`], which filters the
//! addresses DNS returns so the address checked is the address connected to (no window for
//! DNS rebinding between a check and the connect).

use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::{Host, Url};

use super::FetchError;
use crate::config::HostPort;

/// Why an address may not be fetched, or `None` when it is a public address.
pub fn blocked_reason(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => blocked_v4(v4),
        IpAddr::V6(v6) => blocked_v6(v6),
    }
}

fn blocked_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, _, _] = ip.octets();
    if ip.is_unspecified() || a == 0 {
        Some("unspecified address")
    } else if ip.is_loopback() {
        Some("loopback address")
    } else if ip.is_private() {
        Some("private address")
    } else if ip.is_link_local() {
        Some("link-local address")
    } else if a == 100 && (b & 0xc0) == 64 {
        Some("shared (CGNAT) address")
    } else if ip.is_broadcast() {
        Some("broadcast address")
    } else if ip.is_multicast() {
        Some("multicast address")
    } else if a >= 240 {
        Some("reserved address")
    } else {
        None
    }
}

fn blocked_v6(ip: Ipv6Addr) -> Option<&'static str> {
    let seg = ip.segments();
    if ip.is_unspecified() {
        Some("unspecified address")
    } else if ip.is_loopback() {
        Some("loopback address")
    } else if let Some(v4) = ip.to_ipv4_mapped() {
        blocked_v4(v4)
    } else if seg[..6] == [0; 6] {
        // IPv4-compatible ::a.b.c.d (deprecated, but some stacks still route it).
        blocked_v4(Ipv4Addr::from(((seg[6] as u32) << 16) | seg[7] as u32))
    } else if seg[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        // NAT64 well-known prefix: the gateway connects to the embedded IPv4 address.
        blocked_v4(Ipv4Addr::from(((seg[6] as u32) << 16) | seg[7] as u32))
    } else if (seg[0] & 0xfe00) == 0xfc00 {
        Some("unique local address")
    } else if (seg[0] & 0xffc0) == 0xfe80 {
        Some("link-local address")
    } else if (seg[0] & 0xff00) == 0xff00 {
        Some("multicast address")
    } else {
        None
    }
}

/// True when `url`'s `host:port` is listed in `allow_private`.
pub fn is_allowed_private(url: &Url, allow_private: &[HostPort]) -> bool {
    allow_private.iter().any(|hp| hp.matches(url))
}

/// Checks one hop before any connection: http/https only, a host, and an IP-literal host must
/// be public unless `allow_private` lists the URL's `host:port`.
pub fn check_url(url: &Url, allow_private: &[HostPort]) -> Result<(), FetchError> {
    match url.scheme() {
        "http" | "https" => {}
        other => {
            return Err(FetchError::InvalidUrl {
                url: url.to_string(),
                reason: format!("scheme {other:?} is not fetched (only http and https)"),
            });
        }
    }
    let ip = match url.host() {
        None => {
            return Err(FetchError::InvalidUrl {
                url: url.to_string(),
                reason: "no host".into(),
            });
        }
        Some(Host::Ipv4(v4)) => IpAddr::V4(v4),
        Some(Host::Ipv6(v6)) => IpAddr::V6(v6),
        Some(Host::Domain(_)) => return Ok(()),
    };
    if is_allowed_private(url, allow_private) {
        return Ok(());
    }
    match blocked_reason(ip) {
        Some(reason) => Err(FetchError::Blocked {
            url: url.to_string(),
            reason: format!("{ip} is a {reason}"),
        }),
        None => Ok(()),
    }
}

/// The error the resolver returns when every address of a name is refused; found again in the
/// reqwest error's source chain and turned into [`FetchError::Blocked`].
#[derive(Debug, thiserror::Error)]
#[error("{host} resolves to {addr}, a {reason}")]
pub struct BlockedAddress {
    /// The name that was resolved.
    pub host: String,
    /// The first refused address.
    pub addr: IpAddr,
    /// Which rule refused it.
    pub reason: &'static str,
}

/// A DNS resolver that drops refused addresses, for reqwest's `dns_resolver`.
///
/// Names listed in `allowed_hosts` keep their private addresses; the fetcher only hands such
/// a resolver URLs whose `host:port` is in `allow_private` (the resolver does not see ports).
#[derive(Debug, Clone, Default)]
pub struct GuardedResolver {
    allowed_hosts: HashSet<String>,
}

impl GuardedResolver {
    /// A resolver that refuses every non-public address.
    pub fn strict() -> Self {
        GuardedResolver::default()
    }

    /// A resolver that lets the hosts of `allow_private` resolve to private addresses.
    pub fn allowing(allow_private: &[HostPort]) -> Self {
        GuardedResolver {
            allowed_hosts: allow_private.iter().map(|hp| hp.host.clone()).collect(),
        }
    }
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_ascii_lowercase();
        let allow_all = self.allowed_hosts.contains(&host);
        Box::pin(async move {
            let resolved: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if allow_all {
                return Ok(Box::new(resolved.into_iter()) as Addrs);
            }
            let (public, refused): (Vec<SocketAddr>, Vec<SocketAddr>) = resolved
                .into_iter()
                .partition(|a| blocked_reason(a.ip()).is_none());
            if public.is_empty()
                && let Some(first) = refused.first()
            {
                let reason = blocked_reason(first.ip()).unwrap_or("refused address");
                return Err(Box::new(BlockedAddress {
                    host,
                    addr: first.ip(),
                    reason,
                }) as _);
            }
            Ok(Box::new(public.into_iter()) as Addrs)
        })
    }
}

/// The [`BlockedAddress`] somewhere in `err`'s source chain, if the resolver refused the name.
pub fn find_blocked<'a>(err: &'a (dyn std::error::Error + 'static)) -> Option<&'a BlockedAddress> {
    let mut cur: Option<&'a (dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = cur {
        if let Some(b) = e.downcast_ref::<BlockedAddress>() {
            return Some(b);
        }
        cur = e.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocked(s: &str) -> bool {
        blocked_reason(s.parse().unwrap()).is_some()
    }

    #[test]
    fn refuses_non_public_ipv4() {
        for ip in [
            "127.0.0.1",
            "127.9.9.9",
            "10.0.0.1",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "255.255.255.255",
            "100.64.0.1",
            "100.127.255.255",
            "224.0.0.1",
            "240.0.0.1",
        ] {
            assert!(blocked(ip), "{ip} should be blocked");
        }
    }

    #[test]
    fn allows_public_ipv4_next_to_blocked_ranges() {
        for ip in [
            "8.8.8.8",
            "172.32.0.1",
            "100.63.255.255",
            "100.128.0.1",
            "169.255.0.1",
            "11.0.0.1",
        ] {
            assert!(!blocked(ip), "{ip} should be allowed");
        }
    }

    #[test]
    fn refuses_non_public_ipv6_and_mapped_forms() {
        for ip in [
            "::1",
            "::",
            "fc00::1",
            "fdff::1",
            "fe80::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.1.2.3",
            "::ffff:169.254.169.254",
            "::127.0.0.1",
            "64:ff9b::a00:1",
        ] {
            assert!(blocked(ip), "{ip} should be blocked");
        }
        for ip in ["2001:4860:4860::8888", "::ffff:8.8.8.8", "64:ff9b::808:808"] {
            assert!(!blocked(ip), "{ip} should be allowed");
        }
    }

    #[test]
    fn check_url_refuses_ip_literals_and_other_schemes() {
        let none: [HostPort; 0] = [];
        let err = check_url(&Url::parse("http://10.0.0.1/").unwrap(), &none).unwrap_err();
        assert!(matches!(err, FetchError::Blocked { .. }), "{err}");
        assert!(err.to_string().contains("private"), "{err}");
        let err = check_url(&Url::parse("http://[::ffff:7f00:1]/").unwrap(), &none).unwrap_err();
        assert!(matches!(err, FetchError::Blocked { .. }), "{err}");
        let err = check_url(&Url::parse("file:///etc/passwd").unwrap(), &none).unwrap_err();
        assert!(matches!(err, FetchError::InvalidUrl { .. }), "{err}");
        assert!(check_url(&Url::parse("https://example.com/").unwrap(), &none).is_ok());
        // The URL parser normalises decimal and hex IPv4 forms, so they are caught too.
        for sneaky in [
            "http://2130706433/",
            "http://0x7f.0.0.1/",
            "http://0177.0.0.1/",
        ] {
            let err = check_url(&Url::parse(sneaky).unwrap(), &none).unwrap_err();
            assert!(matches!(err, FetchError::Blocked { .. }), "{sneaky}: {err}");
        }
    }

    #[test]
    fn allow_private_is_per_port() {
        let allow = [HostPort::parse("127.0.0.1:8080").unwrap()];
        assert!(check_url(&Url::parse("http://127.0.0.1:8080/x").unwrap(), &allow).is_ok());
        assert!(check_url(&Url::parse("http://127.0.0.1:8081/x").unwrap(), &allow).is_err());
    }

    #[tokio::test]
    async fn resolver_refuses_localhost_unless_allowed() {
        let err = GuardedResolver::strict()
            .resolve("localhost".parse().unwrap())
            .await
            .err()
            .expect("localhost must be refused");
        assert!(find_blocked(err.as_ref()).is_some(), "{err}");
        let allowed = GuardedResolver::allowing(&[HostPort::parse("localhost:80").unwrap()]);
        let addrs: Vec<_> = allowed
            .resolve("localhost".parse().unwrap())
            .await
            .unwrap()
            .collect();
        assert!(addrs.iter().all(|a| a.ip().is_loopback()) && !addrs.is_empty());
    }
}
