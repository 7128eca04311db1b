//! The lock screen and the people in Pengaturan → Orang. The session's token
//! stays in the shell; the page gets who is unlocked and what they may do.

use super::{CmdResult, TillState};
use kasir::model::{User, UserRef};
use kasir::service::{People, Right, Session, UserInput};

/// The lock screen's names, or the first run.
#[tauri::command(rename_all = "snake_case")]
pub async fn people_list(till: TillState<'_>) -> CmdResult<People> {
    Ok(till.kasir.people().await?)
}

/// The first run: the owner's name and PIN; unlocks as the owner.
#[tauri::command(rename_all = "snake_case")]
pub async fn owner_setup(till: TillState<'_>, name: String, pin: String) -> CmdResult<Session> {
    let session = till.kasir.set_up_owner(&name, &pin).await?;
    till.set_token(Some(session.token.clone()));
    Ok(session)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn unlock(till: TillState<'_>, user_id: i64, pin: String) -> CmdResult<Session> {
    let session = till.kasir.unlock(user_id, &pin).await?;
    if let Some(old) = till.token() {
        till.kasir.lock(&old);
    }
    till.set_token(Some(session.token.clone()));
    Ok(session)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn lock(till: TillState<'_>) -> CmdResult<()> {
    if let Some(token) = till.token() {
        till.kasir.lock(&token);
    }
    till.set_token(None);
    Ok(())
}

/// Someone is at the till (a key or the mouse): the engine's idle lock
/// starts again. The page sends it at most every half minute.
#[tauri::command(rename_all = "snake_case")]
pub async fn session_touch(till: TillState<'_>) -> CmdResult<()> {
    till.actor().await?;
    Ok(())
}

/// Who is unlocked, or `locked`.
#[tauri::command(rename_all = "snake_case")]
pub async fn session_get(till: TillState<'_>) -> CmdResult<Session> {
    let token = till.token().ok_or(kasir::Error::Locked)?;
    Ok(till.kasir.session(&token).await?)
}

#[derive(Debug, serde::Serialize)]
pub struct Approved {
    approved_by: String,
}

/// An owner's PIN for the cashier's next owner-only action of kind `right`
/// (the `right` the refusal named).
#[tauri::command(rename_all = "snake_case")]
pub async fn owner_approve(
    till: TillState<'_>,
    user_id: i64,
    pin: String,
    right: String,
) -> CmdResult<Approved> {
    let token = till.token().ok_or(kasir::Error::Locked)?;
    let right = Right::parse(&right).ok_or_else(|| {
        kasir::Error::invalid("right", format!("{right:?} is not an owner-only right"))
    })?;
    let UserRef { name, .. } = till.kasir.approve(&token, user_id, &pin, right).await?;
    Ok(Approved { approved_by: name })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn users_list(till: TillState<'_>) -> CmdResult<Vec<User>> {
    let actor = till.actor().await?;
    Ok(till.kasir.users(&actor).await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn user_save(till: TillState<'_>, user: UserInput) -> CmdResult<User> {
    let actor = till.actor().await?;
    Ok(till.kasir.save_user(&actor, user).await?)
}
