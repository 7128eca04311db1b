//! `limit` and `offset` of the list endpoints, and the `pagination` they answer with.

use super::error::ApiError;
use serde::Serialize;
use std::collections::HashMap;

/// A page of a list, as asked for in the query.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub limit: u32,
    pub offset: u64,
}

impl Page {
    pub fn from_query(
        q: &HashMap<String, String>,
        default_limit: u32,
        max_limit: u32,
    ) -> Result<Page, ApiError> {
        let limit = match q.get("limit").map(|s| s.trim()).filter(|s| !s.is_empty()) {
            None => default_limit,
            Some(s) => match s.parse::<u32>() {
                Ok(n) if (1..=max_limit).contains(&n) => n,
                _ => {
                    return Err(ApiError::field(
                        "limit",
                        format!("limit must be a whole number from 1 to {max_limit}, got {s:?}"),
                    ))
                }
            },
        };
        let offset = match q.get("offset").map(|s| s.trim()).filter(|s| !s.is_empty()) {
            None => 0,
            Some(s) => s.parse::<u64>().map_err(|_| {
                ApiError::field(
                    "offset",
                    format!("offset must be a whole number of 0 or more, got {s:?}"),
                )
            })?,
        };
        Ok(Page { limit, offset })
    }

    /// The answer's `pagination`, for `total` matching rows.
    pub fn of(self, total: u64) -> Pagination {
        Pagination {
            limit: self.limit,
            offset: self.offset,
            total,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Pagination {
    pub limit: u32,
    pub offset: u64,
    pub total: u64,
}
