//! `/api/qris/upload`, `/my-qris` and `/render`: the merchant's static QRIS,
//! and drawing a QRIS, behind `X-API-Key`.

use super::auth::require_api_key;
use super::error::ApiError;
use super::fields::{self, ApiJson, MAX_JSON_BYTES};
use super::qr;
use super::state::AppState;
use super::views::StaticQrisView;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Request, State};
use axum::http::header;
use axum::middleware;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

/// Uploads above this are refused with 413 before they are read whole.
pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;

pub fn router(state: AppState) -> Router<AppState> {
    let upload = Router::new()
        .route("/api/qris/upload", post(upload))
        // a little over the image limit, for the multipart framing around it
        .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES + 64 * 1024));
    Router::new()
        .route("/api/qris/my-qris", get(my_qris))
        .route("/api/qris/render", post(render))
        .layer(DefaultBodyLimit::max(MAX_JSON_BYTES))
        .merge(upload)
        .route_layer(middleware::from_fn_with_state(state, require_api_key))
}

/// The JSON form of POST /api/qris/upload (the other is multipart).
#[derive(Deserialize)]
struct UploadBody {
    #[serde(default, deserialize_with = "fields::string")]
    qris_string: Option<String>,
}

#[derive(Serialize)]
struct Uploaded {
    merchant: UploadedMerchant,
    message: &'static str,
    qris_id: i64,
    qris_string: String,
    warnings: Vec<Warning>,
}

#[derive(Serialize)]
struct UploadedMerchant {
    city: String,
    name: String,
    nmid: Option<String>,
}

/// Something odd about the sticker's code that did not stop the import.
#[derive(Serialize)]
struct Warning {
    code: &'static str,
    message: String,
    path: String,
}

async fn upload(State(state): State<AppState>, req: Request) -> Result<Json<Uploaded>, ApiError> {
    // put there by the key check this route sits behind
    let actor = req
        .extensions()
        .get::<crate::service::Actor>()
        .cloned()
        .ok_or(crate::Error::Unauthorized)?;
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let imported = if content_type.starts_with("multipart/form-data") {
        let mut mp = Multipart::from_request(req, &state).await.map_err(|e| {
            ApiError::bad_request(format!(
                "The multipart body could not be read: {}",
                e.body_text()
            ))
        })?;
        let mut image = None;
        let mut text = None;
        while let Some(field) = mp.next_field().await.map_err(multipart_error)? {
            match field.name() {
                Some("qris_image") => {
                    image = Some(field.bytes().await.map_err(multipart_error)?.to_vec())
                }
                Some("qris_string") => text = Some(field.text().await.map_err(multipart_error)?),
                _ => {}
            }
        }
        match (image, text) {
            (Some(bytes), _) => state.kasir.import_static_qris_image(&actor, bytes).await?,
            (None, Some(s)) => state.kasir.import_static_qris(&actor, &s).await?,
            (None, None) => return Err(ApiError::field("qris_image", "Send the sticker's image in the form field qris_image, or the text in qris_string.")),
        }
    } else {
        let ApiJson(body) = ApiJson::<UploadBody>::from_request(req, &state).await?;
        let s = body.qris_string.ok_or_else(|| {
            ApiError::field(
                "qris_string",
                "qris_string is required (or upload an image as multipart field qris_image)",
            )
        })?;
        state.kasir.import_static_qris(&actor, &s).await?
    };
    let q = imported.qris;
    Ok(Json(Uploaded {
        merchant: UploadedMerchant {
            city: q.merchant_city,
            name: q.merchant_name,
            nmid: q.nmid,
        },
        message: "QRIS uploaded successfully",
        qris_id: q.id,
        qris_string: q.payload,
        warnings: imported
            .warnings
            .into_iter()
            .map(|w| Warning {
                code: w.code,
                message: w.message,
                path: w.path,
            })
            .collect(),
    }))
}

fn multipart_error(e: axum::extract::multipart::MultipartError) -> ApiError {
    super::fields::multipart_error(e, MAX_UPLOAD_BYTES)
}

/// GET /api/qris/my-qris: the default QRIS and all of them, or a hint to upload one.
#[derive(Serialize)]
#[serde(untagged)]
enum MyQris {
    None {
        has_qris: bool,
        message: &'static str,
        success: bool,
    },
    Some {
        has_qris: bool,
        qris: StaticQrisView,
        qris_list: Vec<StaticQrisView>,
        success: bool,
    },
}

async fn my_qris(State(state): State<AppState>) -> Result<Json<MyQris>, ApiError> {
    let all = state.kasir.list_static_qris().await?;
    let Some(default) = all.iter().find(|q| q.is_default).or(all.first()) else {
        return Ok(Json(MyQris::None {
            has_qris: false,
            message: "No QRIS found. Please upload your static QRIS first (only needed once).",
            success: true,
        }));
    };
    Ok(Json(MyQris::Some {
        has_qris: true,
        qris: StaticQrisView::new(default),
        qris_list: all.iter().map(StaticQrisView::new).collect(),
        success: true,
    }))
}

#[derive(Deserialize)]
struct RenderBody {
    #[serde(default, deserialize_with = "fields::string")]
    qris_string: Option<String>,
    #[serde(default, deserialize_with = "fields::integer")]
    qris_data_id: Option<i128>,
}

#[derive(Serialize)]
struct Rendered {
    qr_image: String,
    success: bool,
}

async fn render(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<RenderBody>,
) -> Result<Json<Rendered>, ApiError> {
    let payload = match (body.qris_string, body.qris_data_id) {
        (Some(s), _) => {
            let s = s.trim_end_matches(['\r', '\n']).to_string();
            let d = qris::decode(&s);
            if !d.valid {
                let first = d
                    .issues
                    .iter()
                    .find(|i| i.severity == qris::Severity::Error)
                    .map(|i| i.message.clone())
                    .unwrap_or_default();
                return Err(ApiError::field(
                    "qris_string",
                    format!("qris_string is not a valid QRIS code: {first}"),
                ));
            }
            s
        }
        (None, Some(id)) => {
            let id = i64::try_from(id)
                .map_err(|_| ApiError::field("qris_data_id", "qris_data_id is out of range"))?;
            state
                .kasir
                .static_qris(Some(id))
                .await
                .map_err(|e| match e {
                    crate::Error::NotFound(_) => ApiError::field(
                        "qris_data_id",
                        format!("qris_data_id {id} does not match any stored static QRIS"),
                    ),
                    e => e.into(),
                })?
                .payload
        }
        (None, None) => {
            return Err(ApiError::field(
                "qris_string",
                "Provide either qris_string or qris_data_id.",
            ))
        }
    };
    Ok(Json(Rendered {
        qr_image: qr::data_url(payload).await?,
        success: true,
    }))
}
