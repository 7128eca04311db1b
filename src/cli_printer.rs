//! `kasir printer …`: set up the thermal printer, test it, print, and see the
//! queue. The rules are the engine's; this translates and prints.

use clap::Subcommand;
use kasir::service::Actor;
use kasir::service::{Kasir, PrinterPatch, PrinterSettings};

#[derive(Subcommand)]
pub enum PrinterCommand {
    /// Show the printer settings.
    Show,
    /// Change some printer settings (an empty --address clears it).
    Set {
        /// none, network, usb (a device such as /dev/usb/lp0) or serial.
        #[arg(long)]
        connection: Option<String>,
        /// host[:port] (port 9100 if left out), or the device path.
        #[arg(long)]
        address: Option<String>,
        /// A serial printer's speed: 9600, 19200, 38400, 57600 or 115200.
        #[arg(long)]
        baud: Option<u32>,
        /// 58 or 80 (mm): 32 or 48 characters a line.
        #[arg(long)]
        paper: Option<String>,
        /// pc437 (every printer has it), pc850, pc858 or wpc1252.
        #[arg(long)]
        code_page: Option<String>,
        /// Print the receipt as soon as an order is paid.
        #[arg(long)]
        auto_print: Option<bool>,
        /// A cash drawer is attached to the printer (opened on cash sales).
        #[arg(long)]
        cash_drawer: Option<bool>,
        /// native (the printer's own QR command, GS ( k) or bitmap (the QR sent
        /// as an image, for printers that print GS ( k as garbage).
        #[arg(long)]
        qr: Option<String>,
    },
    /// Print a test slip now and say whether the printer took it.
    Test,
    /// Queue an order's receipt (paid) or its payment slip with the QR (open).
    Print { order_id: String },
    /// Queue the daily report (laporan harian) as a slip.
    Report {
        /// The day, YYYY-MM-DD, in the merchant's time zone; today if left out.
        #[arg(long)]
        date: Option<String>,
    },
    /// The newest print jobs and why any failed.
    Jobs,
    /// Try a failed print job again.
    Retry { id: i64 },
}

fn show(s: &PrinterSettings) {
    println!("connection  {}", s.connection);
    println!("address     {}", s.address.as_deref().unwrap_or("-"));
    if s.connection == "serial" {
        println!("baud        {}", s.baud);
    }
    println!(
        "paper       {} mm ({} columns)",
        s.paper.as_str(),
        s.columns
    );
    println!("code_page   {}", s.code_page);
    println!("auto_print  {}", s.auto_print);
    println!("cash_drawer {}", s.cash_drawer);
    println!("qr          {}", s.qr.as_str());
}

pub async fn run(kasir: &Kasir, cmd: PrinterCommand) -> kasir::error::Result<()> {
    match cmd {
        PrinterCommand::Show => show(&kasir.printer_settings().await?),
        PrinterCommand::Set {
            connection,
            address,
            baud,
            paper,
            code_page,
            auto_print,
            cash_drawer,
            qr,
        } => show(
            &kasir
                .update_printer(
                    &Actor::Console,
                    PrinterPatch {
                        connection,
                        address,
                        baud,
                        paper,
                        code_page,
                        auto_print,
                        cash_drawer,
                        qr,
                    },
                )
                .await?,
        ),
        PrinterCommand::Test => {
            let sent = kasir.print_test().await?;
            eprintln!(
                "{}",
                match sent {
                    kasir::printer::send::Sent::Confirmed => "printed: the printer confirmed it",
                    kasir::printer::send::Sent::Accepted =>
                        "sent: the printer took every byte (it doesn't report its status)",
                }
            );
        }
        PrinterCommand::Print { order_id } => {
            let job = kasir.print_receipt(&order_id).await?;
            eprintln!(
                "print job {} queued; `kasir serve` or the till prints it",
                job.id
            );
        }
        PrinterCommand::Report { date } => {
            let job = kasir
                .print_daily_report(&Actor::Console, date.as_deref())
                .await?;
            eprintln!(
                "print job {} queued; `kasir serve` or the till prints it",
                job.id
            );
        }
        PrinterCommand::Jobs => {
            println!(
                "{:<5} {:<11} {:<24} {:<8} {:<5} LAST ERROR",
                "ID", "KIND", "ORDER", "STATUS", "TRIES"
            );
            for j in kasir.print_jobs(50).await? {
                println!(
                    "{:<5} {:<11} {:<24} {:<8} {:<5} {}",
                    j.id,
                    j.kind,
                    j.order_id.as_deref().unwrap_or("-"),
                    j.status.as_str(),
                    j.attempts,
                    j.last_error.as_deref().unwrap_or("")
                );
            }
        }
        PrinterCommand::Retry { id } => {
            let job = kasir.retry_print_job(id).await?;
            eprintln!("print job {} queued again", job.id);
        }
    }
    Ok(())
}
