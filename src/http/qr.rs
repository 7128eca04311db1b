//! The QR image the responses carry.

use super::error::ApiError;
use axum::http::StatusCode;

/// The QR as a `data:image/png;base64,…` URL, drawn off the async threads.
pub async fn data_url(payload: String) -> Result<String, ApiError> {
    tokio::task::spawn_blocking(move || crate::qr_image::png_data_url(&payload))
        .await
        .map_err(|e| {
            // the panic's text is for the log, not for whoever called the API
            tracing::error!("drawing a QR image failed: {e}");
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Internal error",
                "The QR image could not be drawn; the request was not completed.",
            )
        })?
        .map_err(|e| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Invalid QRIS",
                e.to_string(),
            )
        })
}
