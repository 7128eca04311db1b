//! `kasir keys …`: API keys for integrations and the shop's phone. The
//! engine makes and checks them; this translates and prints.

use clap::{Subcommand, ValueEnum};
use kasir::model::KeyScope;
use kasir::service::Actor;
use kasir::service::Kasir;

#[derive(Subcommand)]
pub enum KeysCommand {
    /// Make a key; it is printed once, alone on stdout, and only its hash is kept.
    Create {
        #[arg(long)]
        name: String,
        /// Requests per day (Asia/Jakarta calendar day); none means unlimited.
        #[arg(long, conflicts_with = "tier")]
        daily_limit: Option<i64>,
        /// The reference service's tiers: free = 50 a day, premium = 1000 a day.
        #[arg(long, value_enum)]
        tier: Option<Tier>,
        /// full, or notifications: a key for the shop's phone that can post
        /// payment notifications and nothing else.
        #[arg(long, value_enum, default_value = "full")]
        scope: Scope,
        /// The person the key acts as (a cashier's tablet on the shop's LAN),
        /// with their rights; without it the key is the owner's integration.
        #[arg(long)]
        person: Option<String>,
    },
    /// List keys (never their secrets).
    List,
    /// Revoke a key by id; requests with it fail from now on.
    Revoke { id: i64 },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Tier {
    Free,
    Premium,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Scope {
    Full,
    Notifications,
}

pub async fn run(kasir: &Kasir, cmd: KeysCommand) -> kasir::error::Result<()> {
    match cmd {
        KeysCommand::Create {
            name,
            daily_limit,
            tier,
            scope,
            person,
        } => {
            let person = match person {
                Some(name) => Some(
                    kasir
                        .users(&Actor::Console)
                        .await?
                        .into_iter()
                        .find(|u| u.active && u.name.eq_ignore_ascii_case(name.trim()))
                        .ok_or_else(|| {
                            kasir::Error::invalid(
                                "person",
                                format!(
                                    "nobody active is called {name:?}; see `kasir people list`"
                                ),
                            )
                        })?,
                ),
                None => None,
            };
            let limit = daily_limit.or(tier.map(|t| match t {
                Tier::Free => 50,
                Tier::Premium => 1000,
            }));
            let scope = match scope {
                Scope::Full => KeyScope::Full,
                Scope::Notifications => KeyScope::Notifications,
            };
            let (key, secret) = kasir
                .create_scoped_api_key(&Actor::Console, &name, limit, scope)
                .await?;
            if let Some(p) = person {
                kasir
                    .set_api_key_person(&Actor::Console, key.id, Some(p.id))
                    .await?;
            }
            println!("{secret}");
        }
        KeysCommand::List => {
            let keys = kasir.list_api_keys().await?;
            println!(
                "{:<4} {:<20} {:<14} {:<14} {:<10} {:<24} STATUS",
                "ID", "NAME", "PREFIX", "SCOPE", "LIMIT", "CREATED"
            );
            for k in keys {
                println!(
                    "{:<4} {:<20} {:<14} {:<14} {:<10} {:<24} {}",
                    k.id,
                    k.name,
                    format!("{}…", k.key_prefix),
                    k.scope.as_str(),
                    k.daily_limit
                        .map(|l| l.to_string())
                        .unwrap_or_else(|| "unlimited".into()),
                    kasir::clock::rfc3339(k.created_at),
                    if k.revoked_at.is_some() {
                        "revoked"
                    } else {
                        "active"
                    }
                );
            }
        }
        KeysCommand::Revoke { id } => {
            kasir.revoke_api_key(&Actor::Console, id).await?;
            eprintln!("API key {id} revoked");
        }
    }
    Ok(())
}
