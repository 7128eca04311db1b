//! Getting bytes to the printer: a raw TCP socket (port 9100, "JetDirect"),
//! a device file (`/dev/usb/lp0` through the kernel's usblp driver, a
//! Bluetooth `/dev/rfcomm0`), or a serial port at a baud rate.
//!
//! A network printer confirms a job by answering a status request (`DLE EOT
//! 1`) sent after it: a printer that closes the connection before answering
//! did not print it all, and the job is tried again. Many clones never answer;
//! a silence that outlasts [`STATUS_WAIT`] on an open connection counts as
//! printed, since the bytes were all accepted.

use std::io::Write;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
pub const STATUS_WAIT: Duration = Duration::from_secs(2);
/// `DLE EOT 1`: transmit the printer status.
pub const STATUS_REQUEST: [u8; 3] = [0x10, 0x04, 0x01];

/// Where the printer is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Connection {
    Network {
        host: String,
        port: u16,
    },
    /// A device file written as is (usblp, rfcomm).
    Device {
        path: String,
    },
    Serial {
        path: String,
        baud: u32,
    },
    /// Raw USB by vendor and product id, where the kernel's usblp driver is
    /// absent (or the printer isn't a USB printer class device).
    UsbId {
        vendor: u16,
        product: u16,
    },
}

impl Connection {
    /// A `usb` address: `VVVV:PPPP` (hex vendor and product ids, as `lsusb`
    /// prints them) is raw USB; anything else is a device file.
    pub fn usb(address: &str) -> Connection {
        let ids = address.trim().split_once(':').and_then(|(v, p)| {
            let hex = |s: &str| {
                (s.len() == 4)
                    .then(|| u16::from_str_radix(s, 16).ok())
                    .flatten()
            };
            Some((hex(v)?, hex(p)?))
        });
        match ids {
            Some((vendor, product)) => Connection::UsbId { vendor, product },
            None => Connection::Device {
                path: address.trim().to_string(),
            },
        }
    }
}

/// How a job ended up on the printer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sent {
    /// The printer answered the status request after the job.
    Confirmed,
    /// All bytes were accepted; the printer doesn't answer status requests.
    Accepted,
}

/// Send `bytes` as one job; the error is the reason, for the cashier.
pub async fn send(to: &Connection, bytes: &[u8]) -> Result<Sent, String> {
    match to {
        Connection::Network { host, port } => network(host, *port, bytes).await,
        Connection::Device { path } => {
            let (path, bytes) = (path.clone(), bytes.to_vec());
            tokio::task::spawn_blocking(move || device(&path, &bytes))
                .await
                .map_err(|_| "the printer task stopped".to_string())?
        }
        Connection::Serial { path, baud } => {
            let (path, bytes, baud) = (path.clone(), bytes.to_vec(), *baud);
            tokio::task::spawn_blocking(move || serial(&path, baud, &bytes))
                .await
                .map_err(|_| "the printer task stopped".to_string())?
        }
        Connection::UsbId { vendor, product } => {
            let (vendor, product, bytes) = (*vendor, *product, bytes.to_vec());
            tokio::task::spawn_blocking(move || usb_id(vendor, product, &bytes))
                .await
                .map_err(|_| "the printer task stopped".to_string())?
        }
    }
}

/// Through the escpos crate's native USB driver: it finds the device, claims
/// its interface (detaching a kernel driver) and writes to its bulk endpoint.
fn usb_id(vendor: u16, product: u16, bytes: &[u8]) -> Result<Sent, String> {
    use escpos::driver::{Driver, NativeUsbDriver};
    let id = format!("{vendor:04x}:{product:04x}");
    let driver = NativeUsbDriver::open(vendor, product).map_err(|e| {
        let e = e.to_string();
        if e.contains("not found") {
            format!("no USB printer {id} is plugged in (check the cable, or `lsusb` for its id)")
        } else {
            format!(
                "can't open the USB printer {id}: {e} (a udev rule may be needed for this user)"
            )
        }
    })?;
    driver
        .write(bytes)
        .and_then(|_| driver.flush())
        .map_err(|e| format!("the USB printer {id} refused the job: {e}"))?;
    Ok(Sent::Accepted)
}

async fn network(host: &str, port: u16, bytes: &[u8]) -> Result<Sent, String> {
    let at = format!("{host}:{port}");
    let mut s = tokio::time::timeout(CONNECT_TIMEOUT, tokio::net::TcpStream::connect(&at))
        .await
        .map_err(|_| format!("no answer from the printer at {at} (is it on?)"))?
        .map_err(|e| format!("can't reach the printer at {at}: {e}"))?;
    let _ = s.set_nodelay(true);
    let write = async {
        s.write_all(bytes).await?;
        s.write_all(&STATUS_REQUEST).await?;
        s.flush().await
    };
    tokio::time::timeout(WRITE_TIMEOUT, write)
        .await
        .map_err(|_| format!("the printer at {at} stopped taking data (paper out or cover open?)"))?
        .map_err(|e| format!("the printer at {at} dropped the job: {e}"))?;
    let mut status = [0u8; 1];
    match tokio::time::timeout(STATUS_WAIT, s.read(&mut status)).await {
        Err(_) => Ok(Sent::Accepted),
        Ok(Ok(0)) => Err(format!(
            "the printer at {at} closed the connection before confirming the job"
        )),
        Ok(Ok(_)) => match paper_or_cover_problem(status[0]) {
            Some(why) => Err(format!("the printer at {at} says: {why}")),
            None => Ok(Sent::Confirmed),
        },
        Ok(Err(e)) => Err(format!("the printer at {at} dropped the job: {e}")),
    }
}

/// A status byte's bad news. `DLE EOT 1` answers printer status, where bit 3
/// is "offline" (cover open, paper out, error); bits 1 and 4 are always set
/// and bit 7 clear, which tells a status byte from noise.
fn paper_or_cover_problem(b: u8) -> Option<&'static str> {
    let looks_like_status = b & 0b1001_0010 == 0b0001_0010;
    (looks_like_status && b & 0b0000_1000 != 0)
        .then_some("offline (paper out, cover open or an error)")
}

fn device(path: &str, bytes: &[u8]) -> Result<Sent, String> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(|e| device_error(path, e))?;
    f.write_all(bytes)
        .and_then(|_| f.flush())
        .map_err(|e| device_error(path, e))?;
    Ok(Sent::Accepted)
}

fn serial(path: &str, baud: u32, bytes: &[u8]) -> Result<Sent, String> {
    let mut port = serialport::new(path, baud)
        .timeout(WRITE_TIMEOUT)
        .open()
        .map_err(|e| format!("can't open the printer at {path}: {e}"))?;
    port.write_all(bytes)
        .and_then(|_| port.flush())
        .map_err(|e| device_error(path, e))?;
    Ok(Sent::Accepted)
}

fn device_error(path: &str, e: std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => {
            format!("no printer at {path} (unplugged, or another device name?)")
        }
        std::io::ErrorKind::PermissionDenied => format!(
            "no permission to write {path}: add this user to the group that owns it (often lp or dialout)"
        ),
        _ => format!("the printer at {path} refused the job: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_usb_address_is_a_vendor_and_product_id_or_a_device_file() {
        assert_eq!(
            Connection::usb("0416:5011"),
            Connection::UsbId {
                vendor: 0x0416,
                product: 0x5011
            }
        );
        assert_eq!(
            Connection::usb(" 04b8:0e15 "),
            Connection::UsbId {
                vendor: 0x04b8,
                product: 0x0e15
            }
        );
        for path in ["/dev/usb/lp0", "0416:501", "zzzz:5011", "/dev/ttyUSB0:1"] {
            assert!(
                matches!(Connection::usb(path), Connection::Device { .. }),
                "{path}"
            );
        }
    }

    #[tokio::test]
    async fn a_usb_printer_that_is_not_plugged_in_says_so() {
        let e = send(
            &Connection::UsbId {
                vendor: 0xffff,
                product: 0xfffe,
            },
            b"x",
        )
        .await
        .unwrap_err();
        assert!(e.contains("ffff:fffe"), "{e}");
    }

    #[test]
    fn status_bytes_are_read_as_the_manual_says() {
        assert_eq!(paper_or_cover_problem(0x16), None, "online");
        assert!(paper_or_cover_problem(0x1E).is_some(), "offline");
        assert_eq!(paper_or_cover_problem(0xFF), None, "not a status byte");
    }
}
