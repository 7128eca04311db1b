//! `kasir products …`: the catalogue as a CSV file, in and out. The rules
//! (and the all-or-nothing import) are the engine's; this reads and prints.

use clap::Subcommand;
use kasir::error::Error;
use kasir::service::Actor;
use kasir::service::{Kasir, ProductQuery, MAX_CATALOGUE_BYTES};
use std::io::Read;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum ProductsCommand {
    /// Add and update products from a CSV file with the header
    /// name,price,sku,barcode,category,stock ("-" reads standard input). A bad
    /// row is named by its line and field, and nothing is imported.
    Import { file: PathBuf },
    /// Write every product as CSV (the import's header) to standard output.
    Export,
    /// List the products on the shelf, or those matching a search.
    List {
        #[arg(long)]
        search: Option<String>,
    },
}

pub async fn run(kasir: &Kasir, cmd: ProductsCommand) -> kasir::error::Result<()> {
    let unreadable =
        |e: std::io::Error| Error::invalid("file", format!("cannot read the file: {e}"));
    match cmd {
        ProductsCommand::Import { file } => {
            let text = if file.as_os_str() == "-" {
                let mut s = String::new();
                std::io::stdin()
                    .take(MAX_CATALOGUE_BYTES as u64 + 1)
                    .read_to_string(&mut s)
                    .map_err(unreadable)?;
                s
            } else {
                let meta = std::fs::metadata(&file).map_err(unreadable)?;
                if meta.len() > MAX_CATALOGUE_BYTES as u64 {
                    return Err(Error::invalid(
                        "file",
                        format!(
                            "{} is {} bytes; a catalogue file is at most {MAX_CATALOGUE_BYTES}",
                            file.display(),
                            meta.len()
                        ),
                    ));
                }
                std::fs::read_to_string(&file).map_err(unreadable)?
            };
            let sum = kasir.import_products(&Actor::Console, text).await?;
            eprintln!("imported: {} added, {} updated", sum.added, sum.updated);
        }
        ProductsCommand::Export => print!("{}", kasir.export_products().await?),
        ProductsCommand::List { search } => {
            let products = kasir
                .products(ProductQuery {
                    query: search,
                    ..Default::default()
                })
                .await?;
            println!(
                "{:<6} {:<14} {:<14} {:>12} {:>6}  NAME",
                "ID", "SKU", "BARCODE", "PRICE", "STOCK"
            );
            for p in products {
                println!(
                    "{:<6} {:<14} {:<14} {:>12} {:>6}  {}",
                    p.id,
                    p.sku.as_deref().unwrap_or("-"),
                    p.barcode.as_deref().unwrap_or("-"),
                    p.price,
                    p.stock.map(|s| s.to_string()).unwrap_or_else(|| "-".into()),
                    p.name
                );
            }
        }
    }
    Ok(())
}
