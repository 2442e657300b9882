//! Where a room is found: its code and the screen's key (random, from the system's generator),
//! the address phones on the local network reach, and that address as a QR code for the
//! terminal and the screen.

use std::net::{IpAddr, Ipv4Addr, UdpSocket};

use qrcode::QrCode;
use qrcode::render::{svg, unicode};
use rand::RngExt;

/// Letters and digits nobody misreads on a projector (no I, L, O, 0 or 1).
const CODE_LETTERS: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// A room code: six of [`CODE_LETTERS`], about 30 bits, short enough to read out.
pub fn room_code() -> String {
    let mut rng = rand::rng();
    (0..6).map(|_| CODE_LETTERS[rng.random_range(0..CODE_LETTERS.len())] as char).collect()
}

/// A secret of `bytes` random bytes in hex: a phone's key, the screen's key.
pub fn secret(bytes: usize) -> String {
    let mut rng = rand::rng();
    (0..bytes).map(|_| format!("{:02x}", rng.random::<u8>())).collect()
}

/// Whether `code` could be a room code drift made (for a journal read back).
pub fn is_code(code: &str) -> bool {
    code.len() == 6 && code.bytes().all(|b| CODE_LETTERS.contains(&b))
}

/// Whether `key` could be a screen key drift made.
pub fn is_key(key: &str) -> bool {
    (32..=128).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// The address phones use to reach a server bound to `bind`: the bound address itself, or,
/// for all interfaces, the one this machine's traffic to the local network leaves from
/// (asking the system for a route sends nothing). `None` when there is no network.
pub fn reachable(bind: IpAddr) -> Option<IpAddr> {
    if !bind.is_unspecified() {
        return Some(bind);
    }
    let socket = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0)).ok()?;
    // TEST-NET-1: never routed; the system only picks the interface it would use
    socket.connect((Ipv4Addr::new(192, 0, 2, 1), 9)).ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_unspecified() && !ip.is_loopback()).then_some(ip)
}

/// `text` as a QR code in the terminal: two rows of modules per line of text, dark on light
/// as phones' cameras expect.
pub fn qr_text(text: &str) -> Option<String> {
    let code = QrCode::new(text.as_bytes()).ok()?;
    Some(code.render::<unicode::Dense1x2>().dark_color(unicode::Dense1x2::Light).light_color(unicode::Dense1x2::Dark).build())
}

/// `text` as an SVG QR code for the screen.
pub fn qr_svg(text: &str) -> Option<String> {
    let code = QrCode::new(text.as_bytes()).ok()?;
    Some(code.render::<svg::Color>().min_dimensions(240, 240).dark_color(svg::Color("#111111")).light_color(svg::Color("#ffffff")).build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_keys_are_what_they_say() {
        let code = room_code();
        assert!(is_code(&code), "{code}");
        assert_ne!(room_code(), room_code(), "random (a clash is one in a billion)");
        let key = secret(24);
        assert!(is_key(&key) && key.len() == 48, "{key}");
        assert!(!is_code("ABC1O0") && !is_key("../../etc/passwd"));
        assert_eq!(reachable("127.0.0.1".parse().unwrap()), Some("127.0.0.1".parse().unwrap()));
        let qr = qr_text("http://192.168.1.5:4700/j/ABCDEF").unwrap();
        assert!(qr.lines().count() > 10 && qr.contains('█'), "{qr}");
        assert!(qr_svg("x").unwrap().starts_with("<?xml"));
    }
}
