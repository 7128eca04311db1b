//! People at the till: users with a role and a PIN (argon2id), wrong-PIN
//! lockout that survives a restart, the till's sessions with their idle lock,
//! and the rights every owner-only method checks through [`Kasir::require`].

use super::checks::check_text;
use super::Kasir;
use crate::clock::Millis;
use crate::error::{Error, Missing, Result};
use crate::model::{ConfirmedBy, Role, Shift, User, UserRef};
use crate::store;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::Rng;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Wrong PINs in a row before the user is locked, and for how long.
pub const PIN_TRIES: u32 = 5;
pub const PIN_LOCK_MS: Millis = 60_000;
/// An owner's approval waits this long for the cashier's one action.
const APPROVAL_MS: Millis = 120_000;
const MAX_NAME_LEN: usize = 40;

/// Who is asking. Every method that changes the shop, or shows what only the
/// owner sees, takes one and checks it here, whoever called (the till, the
/// API, the command line).
#[derive(Debug, Clone)]
pub enum Actor {
    /// A person: unlocked at the till, or holding an API key made for them.
    Person(Person),
    /// The owner's own integration: an API key made for no one (every key
    /// before people existed).
    Integration,
    /// This computer's command line: whoever can open the data directory
    /// owns the shop.
    Console,
}

#[derive(Debug, Clone)]
pub struct Person {
    pub user: UserRef,
    pub role: Role,
    /// The till's session, where an owner's approval waits; none over the API.
    session: Option<String>,
}

impl Actor {
    /// An API key's person, if it was made for one.
    pub fn api_key_person(user: Option<(UserRef, Role)>) -> Actor {
        match user {
            Some((user, role)) => Actor::Person(Person {
                user,
                role,
                session: None,
            }),
            None => Actor::Integration,
        }
    }

    /// How orders name who confirmed or cancelled: the reference's
    /// `dashboard` at the till, `api` over the API.
    pub fn confirmed_by(&self) -> ConfirmedBy {
        match self {
            Actor::Person(Person { session: None, .. }) | Actor::Integration => ConfirmedBy::Api,
            Actor::Person(_) | Actor::Console => ConfirmedBy::Dashboard,
        }
    }

    pub fn person(&self) -> Option<&Person> {
        match self {
            Actor::Person(p) => Some(p),
            _ => None,
        }
    }

    /// Someone unlocked at the till (not an API key, not the console).
    pub fn at_till(&self) -> bool {
        matches!(
            self,
            Actor::Person(Person {
                session: Some(_),
                ..
            })
        )
    }

    pub fn is_owner(&self) -> bool {
        !matches!(
            self,
            Actor::Person(Person {
                role: Role::Cashier,
                ..
            })
        )
    }

    /// The till session this actor came from, if any.
    pub fn session_token(&self) -> Option<String> {
        self.person().and_then(|p| p.session.clone())
    }

    /// The person's name, for an order's events and a refund.
    pub fn name(&self) -> Option<&str> {
        self.person().map(|p| p.user.name.as_str())
    }
}

/// What only the owner may do; a cashier needs the owner's PIN on the spot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Right {
    /// Pengaturan: products, tax, keys, webhooks, the server, the printer.
    Settings,
    People,
    Refund,
    CancelOthersOrder,
    /// A cart discounted by more than the cashier's limit.
    BigDiscount,
    OtherShifts,
    CloseOthersShift,
    /// The day's report: every shift's sales.
    DailyReport,
}

impl Right {
    pub const ALL: [Right; 8] = [
        Right::Settings,
        Right::People,
        Right::Refund,
        Right::CancelOthersOrder,
        Right::BigDiscount,
        Right::OtherShifts,
        Right::CloseOthersShift,
        Right::DailyReport,
    ];

    /// The stable name the till and the API see.
    pub fn as_str(self) -> &'static str {
        match self {
            Right::Settings => "settings",
            Right::People => "people",
            Right::Refund => "refund",
            Right::CancelOthersOrder => "cancel_others_order",
            Right::BigDiscount => "big_discount",
            Right::OtherShifts => "other_shifts",
            Right::CloseOthersShift => "close_others_shift",
            Right::DailyReport => "daily_report",
        }
    }

    pub fn parse(s: &str) -> Option<Right> {
        Right::ALL.into_iter().find(|r| r.as_str() == s)
    }

    fn action(self) -> &'static str {
        match self {
            Right::Settings => "change the settings",
            Right::People => "manage people and PINs",
            Right::Refund => "give a refund",
            Right::CancelOthersOrder => "cancel another cashier's order",
            Right::BigDiscount => "give a discount above the cashier's limit",
            Right::OtherShifts => "see another cashier's shift",
            Right::CloseOthersShift => "close another cashier's shift",
            Right::DailyReport => "see the day's report of every shift",
        }
    }
}

/// What the till may do without asking the owner, for the UI to show.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct Rights {
    pub settings: bool,
    pub refund: bool,
    pub cancel_any: bool,
    pub discount_any: bool,
    pub reports_all: bool,
}

/// The lock screen: who can unlock, or the first run's "set the owner's PIN".
#[derive(Debug, Clone, Serialize)]
pub struct People {
    pub first_run: bool,
    pub users: Vec<User>,
}

/// Someone unlocked at the till: what the till shows them.
#[derive(Debug, Clone, Serialize)]
pub struct Session {
    /// Kept by the shell, never sent to the page.
    #[serde(skip)]
    pub token: String,
    pub user: User,
    pub rights: Rights,
    pub lock_after_minutes: u32,
    /// The till's open shift, whoever's.
    pub shift: Option<Shift>,
    pub shift_is_mine: bool,
    /// The open shift began before today (the shop's zone): the next person
    /// is told it was left open.
    pub shift_stale: bool,
    pub denominations: &'static [u64],
    /// An owner's approval waiting for this cashier's next owner-only action.
    pub approved_by: Option<String>,
}

/// A person as the owner adds or edits them; `None` keeps a field.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct UserInput {
    pub id: Option<i64>,
    pub name: Option<String>,
    pub role: Option<Role>,
    pub pin: Option<String>,
    pub active: Option<bool>,
}

struct SessionState {
    user_id: i64,
    last_seen: Millis,
    approval: Option<Approval>,
}

/// An owner's yes for one action of one kind, until a time.
#[derive(Debug, Clone)]
struct Approval {
    owner: UserRef,
    right: Right,
    until: Millis,
}

/// The till's unlocked sessions, in memory: a restart locks the till.
#[derive(Default)]
pub(super) struct Sessions(std::sync::Mutex<HashMap<String, SessionState>>);

impl Sessions {
    fn with<T>(&self, f: impl FnOnce(&mut HashMap<String, SessionState>) -> T) -> T {
        f(&mut self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

fn check_pin_format(pin: &str) -> Result<()> {
    if (4..=6).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(Error::invalid("pin", "a PIN is 4 to 6 digits"))
    }
}

fn check_name(name: Option<&str>) -> Result<Option<String>> {
    check_text("name", name, MAX_NAME_LEN)
}

/// argon2id with its default cost (19 MiB, 2 passes): slow enough that a
/// stolen database doesn't give up 6-digit PINs in a blink.
fn hash_pin(pin: &str) -> Result<String> {
    let mut salt = [0u8; 16];
    rand::rng().fill(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|_| Error::TaskFailed("salting a PIN"))?;
    Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| Error::TaskFailed("hashing a PIN"))
}

fn pin_matches(pin: &str, stored: &str) -> bool {
    // the verifier compares the hashes in constant time
    PasswordHash::new(stored).is_ok_and(|h| {
        Argon2::default()
            .verify_password(pin.as_bytes(), &h)
            .is_ok()
    })
}

fn rights_of(role: Role) -> Rights {
    let owner = role == Role::Owner;
    Rights {
        settings: owner,
        refund: owner,
        cancel_any: owner,
        discount_any: owner,
        reports_all: owner,
    }
}

fn new_token() -> String {
    let mut b = [0u8; 24];
    rand::rng().fill(&mut b);
    hex::encode(b)
}

impl Kasir {
    /// Check `right` for `actor`. A cashier passes with an owner's approval
    /// for this right waiting in their session, used up here and kept with
    /// both names; returns the approving owner's name then.
    pub async fn require(&self, actor: &Actor, right: Right) -> Result<Option<String>> {
        let Actor::Person(p) = actor else {
            return Ok(None);
        };
        if p.role == Role::Owner {
            return Ok(None);
        }
        let now = self.now();
        let approval = p.session.as_ref().and_then(|token| {
            self.inner.sessions.with(|m| {
                let s = m.get_mut(token)?;
                // an approval for another kind of action stays where it is
                if s.approval
                    .as_ref()
                    .is_some_and(|a| a.right == right && a.until > now)
                {
                    s.approval.take()
                } else {
                    None
                }
            })
        });
        let Some(approval) = approval else {
            return Err(Error::OwnerOnly {
                action: right.action().to_string(),
                right: right.as_str(),
            });
        };
        let (cashier, owner_name) = (p.user.name.clone(), approval.owner.name.clone());
        self.inner
            .db
            .write(move |c| {
                store::insert_owner_approval(c, &cashier, &owner_name, right.action(), now)
            })
            .await?;
        Ok(Some(approval.owner.name))
    }

    /// After an approved action: its approval back if it was refused.
    pub(super) async fn settle<T>(
        &self,
        actor: &Actor,
        right: Right,
        approved_by: Option<String>,
        outcome: &Result<T>,
    ) {
        if let (Err(_), Some(owner)) = (outcome, approved_by) {
            self.give_back_approval(actor, right, &owner).await;
        }
    }

    /// Give an approval back when the action it was used for was refused for
    /// another reason (a bad field, no open shift), so the owner isn't asked
    /// again for an action that never happened; the kept record says so.
    pub(super) async fn give_back_approval(&self, actor: &Actor, right: Right, owner: &str) {
        let Some(p) = actor.person() else { return };
        let Some(token) = p.session.clone() else {
            return;
        };
        let now = self.now();
        let owner_name = owner.to_string();
        let restored = self.inner.sessions.with(|m| {
            let s = m.get_mut(&token)?;
            s.approval = Some(Approval {
                owner: UserRef {
                    id: 0,
                    name: owner_name.clone(),
                },
                right,
                until: now + APPROVAL_MS,
            });
            Some(())
        });
        if restored.is_some() {
            let cashier = p.user.name.clone();
            let _ = self
                .inner
                .db
                .write(move |c| {
                    store::insert_owner_approval(
                        c,
                        &cashier,
                        &owner_name,
                        &format!("(not done, given back) {}", right.action()),
                        now,
                    )
                })
                .await;
        }
    }

    /// The lock screen's names (active people), or the first run.
    pub async fn people(&self) -> Result<People> {
        self.inner
            .db
            .read(|c| {
                Ok(People {
                    first_run: store::count_users(c)? == 0,
                    users: store::list_users(c, false)?,
                })
            })
            .await
    }

    /// Everyone, deactivated too: Pengaturan → Orang.
    pub async fn users(&self, actor: &Actor) -> Result<Vec<User>> {
        self.require(actor, Right::People).await?;
        self.inner.db.read(|c| store::list_users(c, true)).await
    }

    /// The first run: the owner names themselves and sets a PIN, and is unlocked.
    pub async fn set_up_owner(&self, name: &str, pin: &str) -> Result<Session> {
        let name = check_name(Some(name))?
            .ok_or_else(|| Error::invalid("name", "the owner needs a name"))?;
        check_pin_format(pin)?;
        let hash = self.hash_pin(pin).await?;
        let now = self.now();
        let id = self
            .inner
            .db
            .write(move |c| {
                let tx = c.transaction()?;
                if store::count_users(&tx)? > 0 {
                    return Err(Error::invalid(
                        "name",
                        "the owner is set up already: unlock with the owner's PIN",
                    ));
                }
                let id = store::insert_user(&tx, &name, Role::Owner, &hash, now)?
                    .ok_or(Error::StaleStatus)?;
                tx.commit()?;
                Ok(id)
            })
            .await?;
        self.start_session(id).await
    }

    /// Add a person or change one (name, role, PIN, active). The last active
    /// owner stays an active owner, so the shop can't lock itself out.
    pub async fn save_user(&self, actor: &Actor, input: UserInput) -> Result<User> {
        self.require(actor, Right::People).await?;
        let name = check_name(input.name.as_deref())?;
        let hash = match input.pin.as_deref() {
            Some(pin) => {
                check_pin_format(pin)?;
                Some(self.hash_pin(pin).await?)
            }
            None => None,
        };
        let now = self.now();
        self.inner
            .db
            .write(move |c| {
                let tx = c.transaction()?;
                let taken =
                    |n: &str| Error::invalid("name", format!("{n} is already someone's name"));
                let id = match input.id {
                    None => {
                        let name = name
                            .ok_or_else(|| Error::invalid("name", "a new person needs a name"))?;
                        let role = input.role.ok_or_else(|| {
                            Error::invalid("role", "a new person needs a role: owner or cashier")
                        })?;
                        let hash = hash.ok_or_else(|| {
                            Error::invalid("pin", "a new person needs a PIN of 4 to 6 digits")
                        })?;
                        store::insert_user(&tx, &name, role, &hash, now)?
                            .ok_or_else(|| taken(&name))?
                    }
                    Some(id) => {
                        let user =
                            store::get_user(&tx, id)?.ok_or(Error::NotFound(Missing::User(id)))?;
                        let stops_owning = (input.role == Some(Role::Cashier)
                            || input.active == Some(false))
                            && user.role == Role::Owner;
                        if stops_owning && store::count_other_owners(&tx, id)? == 0 {
                            return Err(Error::invalid(
                                if input.active == Some(false) {
                                    "active"
                                } else {
                                    "role"
                                },
                                format!(
                                    "{} is the only owner: make another owner first",
                                    user.name
                                ),
                            ));
                        }
                        let change = store::UserChange {
                            name: name.as_deref(),
                            role: input.role,
                            pin_hash: hash.as_deref(),
                            active: input.active,
                        };
                        if !store::update_user(&tx, id, &change, now)? {
                            return Err(taken(name.as_deref().unwrap_or_default()));
                        }
                        id
                    }
                };
                let user = store::get_user(&tx, id)?.ok_or(Error::StaleStatus)?;
                tx.commit()?;
                Ok(user)
            })
            .await
    }

    /// Unlock the till as `user_id` with their PIN.
    pub async fn unlock(&self, user_id: i64, pin: &str) -> Result<Session> {
        let user = self.check_pin(user_id, pin).await?;
        self.start_session(user.id).await
    }

    /// An owner approves the cashier's next owner-only action of kind
    /// `right` (the one just refused) with their PIN.
    pub async fn approve(
        &self,
        token: &str,
        owner_id: i64,
        pin: &str,
        right: Right,
    ) -> Result<UserRef> {
        // only a cashier who is unlocked can be approved
        self.actor(token).await?;
        let owner = self.check_pin(owner_id, pin).await?;
        if owner.role != Role::Owner {
            return Err(Error::invalid(
                "user_id",
                format!("{} is not an owner: only an owner approves", owner.name),
            ));
        }
        let owner = UserRef {
            id: owner.id,
            name: owner.name,
        };
        let until = self.now() + APPROVAL_MS;
        let token = token.to_string();
        let set = owner.clone();
        self.inner.sessions.with(move |m| {
            if let Some(s) = m.get_mut(&token) {
                s.approval = Some(Approval {
                    owner: set,
                    right,
                    until,
                });
            }
        });
        Ok(owner)
    }

    pub fn lock(&self, token: &str) {
        self.inner.sessions.with(|m| m.remove(token));
    }

    /// Who holds `token`, if they are still unlocked: an idle till locks
    /// itself (the setting), whatever the page does. Each call counts as
    /// activity.
    pub async fn actor(&self, token: &str) -> Result<Actor> {
        self.actor_of(token, true).await
    }

    /// [`Kasir::actor`] for what the page asks by itself (a list refreshed
    /// when an order changes): it doesn't keep an unattended till unlocked.
    pub async fn actor_unattended(&self, token: &str) -> Result<Actor> {
        self.actor_of(token, false).await
    }

    async fn actor_of(&self, token: &str, activity: bool) -> Result<Actor> {
        let idle_ms = Millis::from(self.settings().await?.lock_after_minutes) * 60_000;
        let now = self.now();
        let user_id = self.inner.sessions.with(|m| {
            let s = m.get_mut(token)?;
            if idle_ms > 0 && now - s.last_seen > idle_ms {
                m.remove(token);
                return None;
            }
            if activity {
                s.last_seen = now;
            }
            Some(s.user_id)
        });
        let user_id = user_id.ok_or(Error::Locked)?;
        let user = self
            .inner
            .db
            .read(move |c| store::get_user(c, user_id))
            .await?;
        match user {
            Some(u) if u.active => Ok(Actor::Person(Person {
                user: UserRef {
                    id: u.id,
                    name: u.name,
                },
                role: u.role,
                session: Some(token.to_string()),
            })),
            _ => {
                self.lock(token);
                Err(Error::Locked)
            }
        }
    }

    /// The session of `token`, as the till shows it.
    pub async fn session(&self, token: &str) -> Result<Session> {
        let actor = self.actor_unattended(token).await?;
        let p = actor.person().ok_or(Error::Locked)?;
        let user_id = p.user.id;
        let now = self.now();
        let approved_by = self.inner.sessions.with(|m| {
            m.get(token)
                .and_then(|s| s.approval.as_ref())
                .filter(|a| a.until > now)
                .map(|a| a.owner.name.clone())
        });
        let user = self
            .inner
            .db
            .read(move |c| store::get_user(c, user_id))
            .await?
            .ok_or(Error::Locked)?;
        let settings = self.settings().await?;
        let shift = self.current_shift_for(&actor).await?;
        let (today_start, _) = self.day_bounds(&self.today().await?).await?;
        Ok(Session {
            token: token.to_string(),
            rights: rights_of(user.role),
            lock_after_minutes: settings.lock_after_minutes,
            shift_is_mine: shift.as_ref().is_some_and(|s| s.user.id == user.id),
            shift_stale: shift.as_ref().is_some_and(|s| s.opened_ms < today_start),
            shift,
            denominations: &super::shifts::DENOMINATIONS,
            approved_by,
            user,
        })
    }

    async fn start_session(&self, user_id: i64) -> Result<Session> {
        let token = new_token();
        let now = self.now();
        let t = token.clone();
        self.inner.sessions.with(move |m| {
            m.insert(
                t,
                SessionState {
                    user_id,
                    last_seen: now,
                    approval: None,
                },
            )
        });
        self.session(&token).await
    }

    async fn hash_pin(&self, pin: &str) -> Result<String> {
        let pin = pin.to_string();
        super::blocking("hashing a PIN", move || hash_pin(&pin)).await?
    }

    /// Check a PIN; a wrong one is counted in the database (five lock the
    /// user for a minute, across restarts).
    async fn check_pin(&self, user_id: i64, pin: &str) -> Result<User> {
        check_pin_format(pin)?;
        // one PIN check at a time: a burst of guesses sent together would all
        // pass the lock check before the first wrong one is counted (and each
        // holds 19 MiB); the lock is read under this guard
        let _one_at_a_time = self.inner.pin_checks.lock().await;
        let found = self
            .inner
            .db
            .read(move |c| store::user_with_pin(c, user_id))
            .await?;
        let Some((user, stored)) = found.filter(|(u, _)| u.active) else {
            return Err(Error::NotFound(Missing::User(user_id)));
        };
        let now = self.now();
        if let Some(until) = user.locked_until_ms.filter(|u| *u > now) {
            return Err(Error::PinLocked {
                name: user.name,
                retry_after_secs: ((until - now) as u64).div_ceil(1000),
            });
        }
        let pin = pin.to_string();
        let right = super::blocking("checking a PIN", move || pin_matches(&pin, &stored)).await?;
        if right {
            self.inner
                .db
                .write(move |c| store::clear_wrong_pins(c, user_id))
                .await?;
            return Ok(user);
        }
        let (wrong, locked) = self
            .inner
            .db
            .write(move |c| store::record_wrong_pin(c, user_id, PIN_TRIES, now + PIN_LOCK_MS))
            .await?;
        Err(match locked {
            Some(until) => Error::PinLocked {
                name: user.name,
                retry_after_secs: ((until - now) as u64).div_ceil(1000),
            },
            None => Error::WrongPin {
                name: user.name,
                tries_left: PIN_TRIES.saturating_sub(wrong),
            },
        })
    }
}

#[cfg(test)]
mod tests;
