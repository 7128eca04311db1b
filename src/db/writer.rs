//! The writer thread: jobs in the order they came, with orders waiting
//! together sharing one transaction and one commit ([`Db::write_grouped`]).

use super::{checkpoint, DbError};
use rusqlite::{Connection, Transaction};
use std::any::Any;
use std::cell::RefCell;
use std::sync::mpsc;

type WriteJob = Box<dyn FnOnce(&mut Connection) + Send>;

/// What a grouped write hands back after its work: given how the shared
/// transaction ended (`Some` error when it was not committed), answer the caller.
type Answer = Box<dyn FnOnce(Option<&str>) + Send>;
/// A write that may share its transaction with others waiting for the writer
/// ([`Db::write_grouped`]); `None` when that transaction could not begin.
pub(super) type GroupedJob = Box<dyn FnOnce(Option<&Group<'_>>) -> Answer + Send>;

pub(super) enum Job {
    Alone(WriteJob),
    Grouped(GroupedJob),
}

/// The most grouped writes one commit carries: enough that a burst of orders
/// shares the pages they all touch (the table's last leaf, the time indexes,
/// the status counts, the events), few enough that the first of them is not
/// kept waiting long for the last.
const MAX_GROUP: usize = 32;

/// The writer thread: jobs in the order they came, except that grouped writes
/// found waiting one after another run in one transaction.
pub(super) fn run_writer(
    mut conn: Connection,
    rx: mpsc::Receiver<Job>,
    wal: checkpoint::Checkpointer,
) {
    let mut next = rx.recv().ok();
    while let Some(job) = next.take() {
        match job {
            Job::Alone(job) => job(&mut conn),
            Job::Grouped(first) => {
                let mut group = vec![first];
                while group.len() < MAX_GROUP {
                    match rx.try_recv() {
                        Ok(Job::Grouped(j)) => group.push(j),
                        Ok(other) => {
                            next = Some(other);
                            break;
                        }
                        Err(_) => break,
                    }
                }
                run_group(&mut conn, group);
            }
        }
        wal.after_write(&conn);
        if next.is_none() {
            next = rx.recv().ok();
        }
    }
}

/// One transaction for the group, each job in its own savepoint, one commit;
/// only then is anyone answered, so an answered write is a committed one.
fn run_group(conn: &mut Connection, group: Vec<GroupedJob>) {
    let tx = match conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate) {
        Ok(tx) => Group {
            tx,
            read: RefCell::default(),
            broken: RefCell::default(),
        },
        Err(e) => {
            let why = e.to_string();
            for job in group {
                job(None)(Some(&why));
            }
            return;
        }
    };
    let mut answers = Vec::with_capacity(group.len());
    let mut lost = None;
    for job in group {
        // SQLite ends a transaction by itself on some errors (disk full, I/O):
        // what follows must not run outside it, committed piecemeal
        if lost.is_none() && tx.is_autocommit() {
            lost = Some("the database ended the transaction after an error".to_string());
        }
        // a savepoint that could not be undone or released would commit
        // work its caller was told failed: the whole group is not saved
        if lost.is_none() {
            lost = tx.broken.borrow_mut().take();
        }
        answers.push(job(if lost.is_none() { Some(&tx) } else { None }));
    }
    let end = match lost.or_else(|| tx.broken.borrow_mut().take()) {
        Some(why) => Some(why),
        None => tx.tx.commit().err().map(|e| e.to_string()),
    };
    for answer in answers {
        answer(end.as_deref());
    }
}

/// Run a grouped write's work in a savepoint of the group's transaction: kept
/// when it says so, undone (and only it) when it fails or refuses.
pub(super) fn in_savepoint<T, E, F>(tx: &Group<'_>, f: F) -> Result<T, E>
where
    E: From<DbError>,
    F: FnOnce(&Group<'_>) -> Result<(T, bool), E>,
{
    // prepared once: parsing these on every order showed in the profile
    let sql = |s: &str| {
        tx.prepare_cached(s)
            .and_then(|mut st| st.execute([]))
            .map_err(|e| {
                *tx.broken.borrow_mut() = Some(format!("{s} failed: {e}"));
                E::from(DbError::Sqlite(e))
            })
    };
    let undo = || {
        sql("ROLLBACK TO grouped_write")?;
        sql("RELEASE grouped_write")
    };
    sql("SAVEPOINT grouped_write")?;
    match f(tx) {
        Ok((value, true)) => {
            sql("RELEASE grouped_write")?;
            Ok(value)
        }
        Ok((value, false)) => {
            undo()?;
            Ok(value)
        }
        Err(e) => {
            undo()?;
            Err(e)
        }
    }
}

/// The transaction a group of writes shares. It reads as a [`Transaction`];
/// what all of them read and none of them changes (the settings, the default
/// static QRIS) is read once for the group ([`Group::read_once`]).
pub struct Group<'c> {
    tx: Transaction<'c>,
    read: RefCell<Vec<Box<dyn Any>>>,
    /// Why a job's savepoint was left in a state the commit must not keep.
    broken: RefCell<Option<String>>,
}

impl<'c> std::ops::Deref for Group<'c> {
    type Target = Transaction<'c>;
    fn deref(&self) -> &Transaction<'c> {
        &self.tx
    }
}

impl Group<'_> {
    /// `read`'s value, read by the first write of the group that asks, for
    /// all of them (one value per type). Only for what no grouped write
    /// changes: a later write of the group would not see the change.
    pub fn read_once<T, E>(&self, read: impl FnOnce(&Connection) -> Result<T, E>) -> Result<T, E>
    where
        T: Clone + 'static,
    {
        if let Some(v) = self
            .read
            .borrow()
            .iter()
            .find_map(|v| v.downcast_ref::<T>())
        {
            return Ok(v.clone());
        }
        let v = read(&self.tx)?;
        self.read.borrow_mut().push(Box::new(v.clone()));
        Ok(v)
    }
}
