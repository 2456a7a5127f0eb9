//! Building the SPA: `trunk build --release`, then brotli and gzip copies of every text
//! and wasm asset so that servers (ours, or a CDN) can send them precompressed.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::process::{self, command};
use crate::{project_root, tools};

pub fn dist_dir() -> PathBuf {
    project_root().join("dist")
}

/// Builds the release SPA into dist/ and precompresses it.
pub fn build_release() -> anyhow::Result<()> {
    tools::ensure_spa_tools()?;
    println!("==> trunk build --release");
    process::run(command("trunk").args(["build", "--release"]))?;
    precompress(&dist_dir())
}

pub fn dist() -> anyhow::Result<()> {
    build_release()?;
    println!("==> cargo build --release -p bazaar-server");
    process::run(process::cargo().args(["build", "--release", "-p", "bazaar-server"]))?;
    println!("SPA in dist/, server in target/release/bazaar-server");
    Ok(())
}

fn compressible(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("js" | "wasm" | "css" | "html" | "json" | "svg"))
}

pub fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut output = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut output, 64 * 1024, 11, 22);
        writer.write_all(bytes).expect("writing to memory");
    }
    output
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).expect("writing to memory");
    encoder.finish().expect("finishing gzip")
}

fn precompress(dir: &Path) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if !path.is_file() || !compressible(&path) {
            continue;
        }
        let bytes = std::fs::read(&path)?;
        std::fs::write(path.with_extension(format!("{}.br", ext(&path))), brotli(&bytes))?;
        std::fs::write(path.with_extension(format!("{}.gz", ext(&path))), gzip(&bytes))?;
    }
    Ok(())
}

fn ext(path: &Path) -> String {
    path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_owned()
}

/// One built asset's size: raw, gzip and brotli bytes.
pub struct AssetSize {
    pub kind: &'static str,
    pub name: String,
    pub raw: usize,
    pub gzip: usize,
    pub brotli: usize,
}

/// Sizes of the html, js, wasm and css assets in dist/.
pub fn asset_sizes() -> anyhow::Result<Vec<AssetSize>> {
    let mut sizes = Vec::new();
    for entry in std::fs::read_dir(dist_dir())? {
        let path = entry?.path();
        let kind = match ext(&path).as_str() {
            "wasm" => "wasm",
            "js" => "js",
            "css" => "css",
            "html" => "html",
            _ => continue,
        };
        let bytes = std::fs::read(&path)?;
        sizes.push(AssetSize {
            kind,
            name: path.file_name().unwrap_or_default().to_string_lossy().into_owned(),
            raw: bytes.len(),
            gzip: gzip(&bytes).len(),
            brotli: brotli(&bytes).len(),
        });
    }
    sizes.sort_by_key(|size| size.kind);
    Ok(sizes)
}
