//! A parsed payload: the root data objects and, for template tags, their children.

use crate::tlv::{parse_level, DataObject, TlvError};
use serde::Serialize;

/// Tags whose value is itself TLV: merchant account information (26-51),
/// additional data (62), language template (64), unreserved templates (80-99).
pub fn is_template(tag: u8) -> bool {
    matches!(tag, 26..=51 | 62 | 64 | 80..=99)
}

#[derive(Debug, Clone)]
pub struct Node<'a> {
    pub obj: DataObject<'a>,
    /// For template tags: the nested objects, or why they could not be read.
    pub children: Option<Result<Vec<DataObject<'a>>, TlvError>>,
}

impl<'a> Node<'a> {
    pub fn tag(&self) -> &'a str {
        self.obj.tag
    }
    pub fn value(&self) -> &'a str {
        self.obj.value
    }
    /// A nested object by sub-tag (first occurrence), when the template parsed.
    pub fn sub(&self, tag: &str) -> Option<&DataObject<'a>> {
        match &self.children {
            Some(Ok(c)) => c.iter().find(|o| o.tag == tag),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Payload<'a> {
    pub raw: &'a str,
    pub nodes: Vec<Node<'a>>,
}

impl<'a> Payload<'a> {
    /// Parse the root level; a broken root is an error, a broken template is kept
    /// and reported by validation (real codes carry them and still scan).
    pub fn parse(raw: &'a str) -> Result<Self, TlvError> {
        let objs = parse_level(raw, 0)?;
        let nodes = objs
            .into_iter()
            .map(|obj| {
                let children =
                    is_template(obj.tag_number()).then(|| parse_level(obj.value, obj.offset + 4));
                Node { obj, children }
            })
            .collect();
        Ok(Payload { raw, nodes })
    }

    pub fn get(&self, tag: &str) -> Option<&Node<'a>> {
        self.nodes.iter().find(|n| n.obj.tag == tag)
    }

    pub fn value(&self, tag: &str) -> Option<&'a str> {
        self.get(tag).map(|n| n.obj.value)
    }

    /// The bytes the CRC covers (everything up to and including `6304`) and the
    /// CRC as written, when the payload ends in a 4-character tag 63.
    pub fn crc_parts(&self) -> Option<(&'a str, &'a str)> {
        let last = self.nodes.last()?;
        if last.obj.tag != "63" || last.obj.len != "04" {
            return None;
        }
        let crc = last.obj.value;
        // tag 63 is last, so its value is the final 4 characters of the payload
        let covered = &self.raw[..self.raw.len() - crc.len()];
        Some((covered, crc))
    }
}

/// The tag tree for display: names from EMVCo MPM and the QRIS specification.
#[derive(Debug, Clone, Serialize)]
pub struct TreeNode {
    pub tag: String,
    pub name: &'static str,
    pub length: usize,
    pub value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub children: Option<Vec<TreeNode>>,
}

pub fn tree(p: &Payload<'_>) -> Vec<TreeNode> {
    p.nodes
        .iter()
        .map(|n| {
            let t = n.obj.tag_number();
            TreeNode {
                tag: n.obj.tag.to_string(),
                name: root_tag_name(t),
                length: n.obj.char_len(),
                value: n.obj.value.to_string(),
                children: match &n.children {
                    Some(Ok(c)) => Some(
                        c.iter()
                            .map(|o| TreeNode {
                                tag: o.tag.to_string(),
                                name: sub_tag_name(t, o.tag_number()),
                                length: o.char_len(),
                                value: o.value.to_string(),
                                children: None,
                            })
                            .collect(),
                    ),
                    _ => None,
                },
            }
        })
        .collect()
}

pub fn root_tag_name(tag: u8) -> &'static str {
    match tag {
        0 => "Payload Format Indicator",
        1 => "Point of Initiation Method",
        2..=25 => "Merchant Account Information (card scheme)",
        40 => "QRIS Transfer",
        26..=45 => "Merchant Account Information",
        46..=50 => "Merchant Account Information (reserved)",
        51 => "Merchant Account Information (QRIS national repository)",
        52 => "Merchant Category Code",
        53 => "Transaction Currency",
        54 => "Transaction Amount",
        55 => "Tip or Convenience Indicator",
        56 => "Value of Convenience Fee Fixed",
        57 => "Value of Convenience Fee Percentage",
        58 => "Country Code",
        59 => "Merchant Name",
        60 => "Merchant City",
        61 => "Postal Code",
        62 => "Additional Data Field Template",
        63 => "CRC",
        64 => "Merchant Information - Language Template",
        65..=79 => "RFU for EMVCo",
        _ => "Unreserved Template",
    }
}

pub fn sub_tag_name(parent: u8, tag: u8) -> &'static str {
    match (parent, tag) {
        (26..=51, 0) => "Globally Unique Identifier",
        (51, 2) => "National Merchant ID (NMID)",
        (26..=50, 1) => "Merchant PAN",
        (26..=50, 2) => "Merchant ID",
        (26..=51, 3) => "Merchant Criteria",
        (62, 1) => "Bill Number",
        (62, 2) => "Mobile Number",
        (62, 3) => "Store Label",
        (62, 4) => "Loyalty Number",
        (62, 5) => "Reference Label",
        (62, 6) => "Customer Label",
        (62, 7) => "Terminal Label",
        (62, 8) => "Purpose of Transaction",
        (62, 9) => "Additional Consumer Data Request",
        (64, 0) => "Language Preference",
        (64, 1) => "Merchant Name - Alternate Language",
        (64, 2) => "Merchant City - Alternate Language",
        (80..=99, 0) => "Globally Unique Identifier",
        _ => "",
    }
}
