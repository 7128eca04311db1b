//! One table per app, in the app's own words (gathered from public
//! notification-forwarder code and merchants' screenshots; see
//! docs/AUTO-CONFIRM.md). A new app is a new file here and a line in [`ALL`].

mod bca;
mod bri;
mod dana;
mod gobiz;
mod livin;
mod nobu;
mod ovo;
mod shopeepay;

use super::App;

pub const ALL: &[App] = &[
    gobiz::APP,
    dana::APP,
    nobu::APP,
    livin::APP,
    bri::APP,
    shopeepay::APP,
    ovo::APP,
    bca::APP,
];
