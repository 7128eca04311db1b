//! The `kasir` command: the local API server, API keys, and QRIS tools.
//! Each subcommand translates arguments, calls the engine, and prints.

mod cli_keys;
mod cli_people;
mod cli_printer;
mod cli_products;

use clap::{Args, Parser, Subcommand, ValueEnum};
use kasir::service::Actor;
use kasir::service::{default_data_dir, Kasir};
use std::io::Read;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "kasir",
    version,
    about = "Kasir: an offline QRIS till and local payment API"
)]
struct Cli {
    /// Where the database lives (default: the OS data directory, e.g. ~/.local/share/kasir).
    #[arg(long, global = true, env = "KASIR_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

// parsed once per run: the settings' many flags cost nothing worth boxing
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// Run the local API server and payment pages.
    Serve {
        /// Address to listen on; 0.0.0.0:8787 serves the shop's LAN.
        #[arg(long, env = "KASIR_BIND", default_value = kasir::http::DEFAULT_BIND)]
        bind: SocketAddr,
    },
    /// Manage API keys for integrations.
    #[command(subcommand)]
    Keys(cli_keys::KeysCommand),
    /// The people who unlock the till: list, add, set a forgotten PIN.
    #[command(subcommand)]
    People(cli_people::PeopleCommand),
    /// Set up, test and use the thermal printer (ESC/POS).
    #[command(subcommand)]
    Printer(cli_printer::PrinterCommand),
    /// The catalogue: import and export products as CSV.
    #[command(subcommand)]
    Products(cli_products::ProductsCommand),
    /// Read, check, convert, scan and draw QRIS codes (no database needed).
    #[command(subcommand)]
    Qris(QrisCommand),
    /// Show the merchant's settings, or change some (an empty value clears one).
    Settings {
        /// Base URL customers reach this till at (a tunnel), e.g. https://toko.example.com
        #[arg(long)]
        public_base_url: Option<String>,
        /// Minutes until a new order expires (default 1440, 24 h).
        #[arg(long)]
        order_expiry_minutes: Option<i64>,
        /// Where webhooks go when an order names none.
        #[arg(long)]
        default_webhook_url: Option<String>,
        /// Webhooks to private/LAN and loopback addresses: auto (allowed until
        /// the API listens beyond this computer or a public base URL is set),
        /// allow or block. The default webhook URL is always allowed.
        #[arg(long)]
        webhook_private_receivers: Option<String>,
        /// Earlier switch: true is --webhook-private-receivers block.
        #[arg(long, hide = true)]
        webhook_block_private: Option<bool>,
        /// The largest amount a widget payment may ask for (rupiah; default 10000000).
        #[arg(long)]
        widget_max_amount: Option<i64>,
        /// Widget payments the shop takes a minute, all customers together (default 30).
        #[arg(long)]
        widget_payments_per_minute: Option<i64>,
        /// Widget payments waiting to be paid at once (default 100).
        #[arg(long)]
        widget_open_orders_max: Option<i64>,
        /// "Sudah Bayar" presses a minute, all customers together (default 60).
        #[arg(long)]
        customer_confirmations_per_minute: Option<i64>,
        /// Webhook URLs a widget's data-webhook may name: origins or URL prefixes,
        /// comma-separated (an empty value clears the list).
        #[arg(long)]
        widget_webhook_allowlist: Option<String>,
        /// Printed at the bottom of every receipt, e.g. "Terima kasih!".
        #[arg(long)]
        receipt_footer: Option<String>,
        /// Zone printed times are in: Asia/Jakarta, Asia/Makassar, Asia/Jayapura, UTC or +08:00.
        #[arg(long)]
        timezone: Option<String>,
        /// Who may name the client in X-Forwarded-For: none (default), loopback
        /// (a tunnel agent such as cloudflared or ngrok on this computer) or
        /// proxy addresses, comma-separated.
        #[arg(long)]
        trusted_proxy: Option<String>,
        /// Unique totals (kode unik) so payments confirm themselves: off
        /// (default), add or subtract a code of 1..--unique-code-max rupiah.
        #[arg(long)]
        unique_code: Option<String>,
        /// The largest unique code (default 99, at most 999).
        #[arg(long)]
        unique_code_max: Option<i64>,
        /// A payment confirms an order made at most this many minutes before it (default 30).
        #[arg(long)]
        unique_match_window_minutes: Option<i64>,
        /// Android packages whose notifications are read with the generic
        /// reader (apps Kasir has no wording for), comma-separated; empty clears.
        #[arg(long)]
        notification_generic_app: Option<String>,
    },
    /// Read a bank statement export (BCA, BCA Bisnis, Mandiri or BRI CSV) and
    /// confirm the orders its credits are for; importing it again changes nothing.
    Reconcile {
        file: PathBuf,
        /// Only the lines of this day (YYYY-MM-DD).
        #[arg(long)]
        date: Option<String>,
    },
    /// Print this till's merchant ID, for widget.js's data-merchant.
    MerchantId,
    /// Print the webhook signing secret (receivers verify signatures with it).
    WebhookSecret {
        /// Replace it with a new one; for 24 h the old one still signs too.
        #[arg(long)]
        rotate: bool,
    },
    /// Write the receipt (struk) of a paid order to a PDF.
    Receipt {
        order_id: String,
        /// Thermal roll width in mm, or an A4 sheet.
        #[arg(long, value_enum, default_value = "58")]
        paper: ReceiptPaper,
        #[arg(short = 'o', long = "output", value_name = "FILE.pdf")]
        output: PathBuf,
    },
    /// Write the daily closing report (laporan harian) of one day to a PDF.
    Report {
        /// The day, YYYY-MM-DD, in the merchant's time zone.
        #[arg(long)]
        date: String,
        #[arg(short = 'o', long = "output", value_name = "FILE.pdf")]
        output: PathBuf,
    },
    /// Write a QRIS standee for the counter to a PDF; with --amount it carries a
    /// new order's dynamic QRIS (its order id is printed).
    Standee {
        /// Whole rupiah; leave out for the static QRIS.
        #[arg(long)]
        amount: Option<u64>,
        #[arg(long, value_enum, default_value = "a6")]
        paper: StandeePaper,
        #[arg(short = 'o', long = "output", value_name = "FILE.pdf")]
        output: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ReceiptPaper {
    #[value(name = "58")]
    Roll58,
    #[value(name = "80")]
    Roll80,
    A4,
}

#[derive(Clone, Copy, ValueEnum)]
enum StandeePaper {
    A5,
    A6,
}

#[derive(Subcommand)]
enum QrisCommand {
    /// Print the tag tree, merchant summary and issues as JSON.
    Decode(PayloadArg),
    /// Print the issues, one a line; exit 1 when there is an error.
    Validate(PayloadArg),
    /// Print the dynamic payload for an amount.
    Dynamic {
        #[command(flatten)]
        input: PayloadArg,
        /// Whole rupiah.
        #[arg(long)]
        amount: u64,
        #[arg(long, value_enum, requires = "fee_value")]
        fee_type: Option<FeeType>,
        /// Rupiah (whole number) or percent (0.01 to 99.99).
        #[arg(long, requires = "fee_type")]
        fee_value: Option<String>,
        /// Reference label written to tag 62.05 (1-25 characters).
        #[arg(long)]
        reference: Option<String>,
    },
    /// Read the QR code in a photo or screenshot (PNG, JPEG, WebP) and print its payload.
    Scan { image: PathBuf },
    /// Draw the QR code of a payload to a PNG or SVG file.
    Render {
        #[command(flatten)]
        input: PayloadArg,
        #[arg(short = 'o', long = "output", value_name = "FILE.png|FILE.svg")]
        output: PathBuf,
    },
}

#[derive(Args)]
struct PayloadArg {
    /// The QRIS text, or - to read it from standard input.
    payload: String,
}

#[derive(Clone, Copy, ValueEnum)]
enum FeeType {
    Rupiah,
    Percent,
}

/// One clear sentence on stderr and the exit code: 1 for bad input.
struct Failure(String, u8);

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure(e.to_string(), 1)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(Failure(msg, code)) => {
            eprintln!("kasir: {msg}");
            ExitCode::from(code)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, Failure> {
    let data_dir = cli.data_dir.clone().unwrap_or_else(default_data_dir);
    match cli.command {
        Command::Qris(cmd) => qris_command(cmd),
        Command::Serve { bind } => {
            tracing_subscriber::fmt()
                .with_env_filter(
                    tracing_subscriber::EnvFilter::try_from_default_env()
                        .unwrap_or_else(|_| "info".into()),
                )
                .with_writer(std::io::stderr)
                .init();
            let rt = tokio::runtime::Runtime::new()?;
            rt.block_on(async move {
                let kasir = Kasir::open(&data_dir)?;
                let server = kasir::http::start(kasir, bind)
                    .await
                    .map_err(|e| Failure(format!("cannot listen on {bind}: {e}"), 1))?;
                eprintln!(
                    "Kasir is listening on http://{} (data: {})",
                    server.addr,
                    data_dir.display()
                );
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = server.task => {}
                }
                Ok(ExitCode::SUCCESS)
            })
        }
        Command::Settings {
            public_base_url,
            order_expiry_minutes,
            default_webhook_url,
            webhook_private_receivers,
            webhook_block_private,
            widget_max_amount,
            widget_payments_per_minute,
            widget_open_orders_max,
            customer_confirmations_per_minute,
            widget_webhook_allowlist,
            receipt_footer,
            timezone,
            trusted_proxy,
            unique_code,
            unique_code_max,
            unique_match_window_minutes,
            notification_generic_app,
        } => {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            rt.block_on(async move {
                let kasir = Kasir::open(&data_dir)?;
                let clear_if_empty =
                    |v: Option<String>| v.map(|s| Some(s).filter(|s| !s.trim().is_empty()));
                let patch = kasir::service::SettingsPatch {
                    order_expiry_minutes,
                    public_base_url: clear_if_empty(public_base_url),
                    default_webhook_url: clear_if_empty(default_webhook_url),
                    webhook_private_receivers,
                    webhook_block_private,
                    widget_max_amount,
                    widget_payments_per_minute,
                    widget_open_orders_max,
                    customer_confirmations_per_minute,
                    widget_webhook_allowlist: widget_webhook_allowlist
                        .map(|v| v.split(',').map(|s| s.trim().to_string()).collect()),
                    receipt_footer: clear_if_empty(receipt_footer),
                    timezone,
                    trusted_proxy,
                    unique_code,
                    unique_code_max,
                    unique_match_window_minutes,
                    notification_generic_apps: notification_generic_app
                        .map(|v| v.split(',').map(|s| s.trim().to_string()).collect()),
                    ..Default::default()
                };
                let settings = kasir.update_settings(&Actor::Console, patch).await?;
                println!("{}", serde_json::to_string_pretty(&settings)?);
                Ok(ExitCode::SUCCESS)
            })
        }
        Command::Reconcile { file, date } => {
            let bytes = std::fs::read(&file)
                .map_err(|e| Failure(format!("can't read {}: {e}", file.display()), 1))?;
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            rt.block_on(async move {
                let kasir = Kasir::open(&data_dir)?;
                let r = kasir.reconcile_statement(&Actor::Console, bytes, date.as_deref()).await?;
                println!("{}", serde_json::to_string_pretty(&r)?);
                eprintln!(
                    "kasir: {} statement, {} credits: {} orders confirmed, {} credits without an order, {} already imported; {} open orders without a credit",
                    r.layout,
                    r.credits_read,
                    r.confirmed.len(),
                    r.credits_without_order.len(),
                    r.duplicates,
                    r.orders_without_credit.len()
                );
                Ok(ExitCode::SUCCESS)
            })
        }
        Command::MerchantId => {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            rt.block_on(async move {
                let kasir = Kasir::open(&data_dir)?;
                println!("{}", kasir.merchant_id().await?);
                Ok(ExitCode::SUCCESS)
            })
        }
        Command::WebhookSecret { rotate } => {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            rt.block_on(async move {
                let kasir = Kasir::open(&data_dir)?;
                let s = if rotate {
                    let s = kasir.rotate_webhook_secret(&Actor::Console).await?;
                    eprintln!("kasir: new secret; the old one also signs for the next 24 hours");
                    s
                } else {
                    kasir.webhook_secret(&Actor::Console).await?
                };
                println!("{}", s.secret);
                Ok(ExitCode::SUCCESS)
            })
        }
        Command::Receipt { .. } | Command::Report { .. } | Command::Standee { .. } => {
            print_command(cli.command, &data_dir)
        }
        Command::Printer(cmd) => {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            rt.block_on(async move {
                let kasir = Kasir::open(&data_dir)?;
                cli_printer::run(&kasir, cmd).await?;
                Ok(ExitCode::SUCCESS)
            })
        }
        Command::Products(cmd) => {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            rt.block_on(async move {
                let kasir = Kasir::open(&data_dir)?;
                cli_products::run(&kasir, cmd).await?;
                Ok(ExitCode::SUCCESS)
            })
        }
        Command::People(cmd) => {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            rt.block_on(async move {
                let kasir = Kasir::open(&data_dir)?;
                cli_people::run(&kasir, cmd).await?;
                Ok(ExitCode::SUCCESS)
            })
        }
        Command::Keys(cmd) => {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            rt.block_on(async move {
                let kasir = Kasir::open(&data_dir)?;
                cli_keys::run(&kasir, cmd).await?;
                Ok(ExitCode::SUCCESS)
            })
        }
    }
}

fn read_payload(arg: &PayloadArg) -> Result<String, Failure> {
    let raw = if arg.payload == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| Failure(format!("cannot read standard input: {e}"), 1))?;
        s
    } else {
        arg.payload.clone()
    };
    // a shell or file adds a line ending; spaces inside the payload are data
    let p = raw.trim_end_matches(['\n', '\r']).to_string();
    if p.is_empty() {
        return Err(Failure("the payload is empty".into(), 1));
    }
    Ok(p)
}

fn qris_command(cmd: QrisCommand) -> Result<ExitCode, Failure> {
    match cmd {
        QrisCommand::Decode(arg) => {
            let d = qris::decode(&read_payload(&arg)?);
            println!("{}", serde_json::to_string_pretty(&d)?);
            Ok(if d.valid {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        QrisCommand::Validate(arg) => {
            let report = qris::validate(&read_payload(&arg)?, qris::Mode::Import);
            for i in &report.issues {
                println!("{i}");
            }
            Ok(if report.is_valid() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        QrisCommand::Dynamic {
            input,
            amount,
            fee_type,
            fee_value,
            reference,
        } => {
            let payload = read_payload(&input)?;
            let fee = match (fee_type, fee_value.as_deref()) {
                (Some(t), Some(v)) => {
                    let kind = match t {
                        FeeType::Rupiah => "rupiah",
                        FeeType::Percent => "percent",
                    };
                    kasir::service::check_fee(Some(kind), Some(v))?.map(|f| f.to_qris())
                }
                _ => None,
            };
            let out = qris::to_dynamic(
                &payload,
                &qris::DynamicRequest {
                    amount,
                    fee,
                    reference,
                },
            )?;
            println!("{out}");
            Ok(ExitCode::SUCCESS)
        }
        QrisCommand::Scan { image } => {
            let bytes = std::fs::read(&image)
                .map_err(|e| Failure(format!("cannot read {}: {e}", image.display()), 1))?;
            let payload = kasir::qr_image::scan(&bytes)?;
            println!("{payload}");
            Ok(ExitCode::SUCCESS)
        }
        QrisCommand::Render { input, output } => {
            let payload = read_payload(&input)?;
            let ext = output
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase);
            let bytes = match ext.as_deref() {
                Some("png") => kasir::qr_image::render_png(&payload)?,
                Some("svg") => kasir::qr_image::render_svg(&payload)?.into_bytes(),
                _ => {
                    return Err(Failure(
                        format!("the output {} must end in .png or .svg", output.display()),
                        2,
                    ))
                }
            };
            std::fs::write(&output, bytes)
                .map_err(|e| Failure(format!("cannot write {}: {e}", output.display()), 1))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Receipts, reports and standees: the service makes the PDF, we write it.
fn print_command(cmd: Command, data_dir: &std::path::Path) -> Result<ExitCode, Failure> {
    use kasir::pdf::Paper;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let kasir = Kasir::open(data_dir)?;
        let (bytes, output) = match cmd {
            Command::Receipt {
                order_id,
                paper,
                output,
            } => {
                let paper = match paper {
                    ReceiptPaper::Roll58 => Paper::Roll58,
                    ReceiptPaper::Roll80 => Paper::Roll80,
                    ReceiptPaper::A4 => Paper::A4,
                };
                (kasir.receipt_pdf(&order_id, paper).await?, output)
            }
            Command::Report { date, output } => (
                kasir.daily_report_pdf(&Actor::Console, &date).await?,
                output,
            ),
            Command::Standee {
                amount,
                paper,
                output,
            } => {
                let paper = match paper {
                    StandeePaper::A5 => Paper::A5,
                    StandeePaper::A6 => Paper::A6,
                };
                let (bytes, order) = kasir.standee_pdf(amount, paper).await?;
                if let Some(o) = order {
                    println!("{}", o.order_id);
                }
                (bytes, output)
            }
            _ => return Err(Failure("not a printing command".into(), 2)),
        };
        std::fs::write(&output, &bytes)
            .map_err(|e| Failure(format!("cannot write {}: {e}", output.display()), 1))?;
        eprintln!("wrote {} ({} bytes)", output.display(), bytes.len());
        Ok(ExitCode::SUCCESS)
    })
}
