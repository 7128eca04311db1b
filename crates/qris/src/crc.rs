//! CRC-16/CCITT-FALSE as EMVCo MPM §4.7.3 prescribes for tag 63.

use crc::{Crc, CRC_16_IBM_3740};

// CRC_16_IBM_3740 is the catalogue name of CRC-16/CCITT-FALSE:
// poly 0x1021, init 0xFFFF, no reflection, no final XOR.
const CCITT_FALSE: Crc<u16> = Crc::<u16>::new(&CRC_16_IBM_3740);

/// The CRC of `data` (the payload's UTF-8 bytes up to and including `6304`).
pub fn crc16(data: &[u8]) -> u16 {
    CCITT_FALSE.checksum(data)
}

/// The CRC as tag 63 carries it: always four upper-case hex digits.
/// Popular converters drop the zero padding and produce `6304D7` for 0x00D7.
pub fn crc16_hex(data: &[u8]) -> String {
    format!("{:04X}", crc16(data))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_value_of_the_catalogue() {
        assert_eq!(crc16(b"123456789"), 0x29B1);
        assert_eq!(crc16_hex(b"123456789"), "29B1");
    }

    #[test]
    fn small_crcs_are_zero_padded() {
        // find an input whose CRC is below 0x1000 and check its padding
        let mut n = 0u32;
        loop {
            let s = format!("x{n}");
            if crc16(s.as_bytes()) < 0x1000 {
                let hex = crc16_hex(s.as_bytes());
                assert_eq!(hex.len(), 4);
                assert!(hex.starts_with('0'));
                break;
            }
            n += 1;
        }
    }
}
