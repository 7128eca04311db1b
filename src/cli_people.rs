//! `kasir people …`: the people who unlock the till, from this computer's
//! command line (whoever can open the data directory owns the shop). The way
//! back in for an owner who forgot their PIN.

use clap::Subcommand;
use kasir::model::{Role, User};
use kasir::service::{Actor, Kasir, UserInput};
use std::io::BufRead;

#[derive(Subcommand)]
pub enum PeopleCommand {
    /// Everyone, deactivated too.
    List,
    /// Add a person; the PIN (4 to 6 digits) is read from standard input.
    Add {
        name: String,
        #[arg(long, default_value = "cashier", value_parser = ["owner", "cashier"])]
        role: String,
    },
    /// Set a new PIN, read from standard input; it also lifts a wrong-PIN lock.
    Pin { name: String },
}

fn read_pin() -> kasir::error::Result<String> {
    eprintln!("PIN (4 to 6 digits), then Enter:");
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| kasir::Error::invalid("pin", format!("cannot read the PIN: {e}")))?;
    Ok(line.trim().to_string())
}

async fn by_name(kasir: &Kasir, name: &str) -> kasir::error::Result<User> {
    kasir
        .users(&Actor::Console)
        .await?
        .into_iter()
        .find(|u| u.name.eq_ignore_ascii_case(name.trim()))
        .ok_or_else(|| {
            kasir::Error::invalid(
                "name",
                format!("nobody is called {name:?}; see `kasir people list`"),
            )
        })
}

pub async fn run(kasir: &Kasir, cmd: PeopleCommand) -> kasir::error::Result<()> {
    match cmd {
        PeopleCommand::List => {
            println!("{:<4} {:<24} {:<8} STATUS", "ID", "NAME", "ROLE");
            for u in kasir.users(&Actor::Console).await? {
                let status = if !u.active {
                    "deactivated"
                } else if u.locked_until_ms.is_some_and(|t| t > kasir.now()) {
                    "locked (wrong PINs)"
                } else {
                    "active"
                };
                println!("{:<4} {:<24} {:<8} {status}", u.id, u.name, u.role.as_str());
            }
        }
        PeopleCommand::Add { name, role } => {
            let pin = read_pin()?;
            let u = kasir
                .save_user(
                    &Actor::Console,
                    UserInput {
                        name: Some(name),
                        role: Role::parse(&role),
                        pin: Some(pin),
                        ..Default::default()
                    },
                )
                .await?;
            println!("{} {}", u.id, u.name);
        }
        PeopleCommand::Pin { name } => {
            let u = by_name(kasir, &name).await?;
            let pin = read_pin()?;
            kasir
                .save_user(
                    &Actor::Console,
                    UserInput {
                        id: Some(u.id),
                        pin: Some(pin),
                        ..Default::default()
                    },
                )
                .await?;
            eprintln!("New PIN set for {}.", u.name);
        }
    }
    Ok(())
}
