//! Building the release SPA into dist/: the wasm cut into lazily loaded chunks at the
//! split points of src/app.rs, html/css/static files with content-hashed names, and
//! brotli and gzip copies of every text and wasm asset so that servers (ours, or a CDN) can
//! send them precompressed.
//!
//! Trunk does not split wasm (trunk-rs/trunk#1022), so this is the pipeline cargo-leptos
//! runs for `--split`: build with relocations kept, `wasm-split-cli`, `wasm-bindgen` on the
//! main module, `wasm-opt` on every module. `trunk serve` stays the development server; it
//! builds without split points (the `bazaar_split` cfg is off) and needs none of this.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use sha2::{Digest as _, Sha256};

use crate::process::{self, command};
use crate::{project_root, tools};

/// `.cargo/config.toml`'s wasm flags (RUSTFLAGS replaces them, so they are repeated here),
/// the cfg that turns the routes' split points on, and relocations for the splitter.
const SPLIT_RUSTFLAGS: &str = "--cfg=erase_components --cfg=bazaar_split -Clink-args=--emit-relocs";
const WASM_OPT_FLAGS: [&str; 3] = ["-Oz", "--enable-bulk-memory", "--enable-nontrapping-float-to-int"];

/// Builds the release SPA into dist/ and precompresses it.
pub fn build_release() -> anyhow::Result<()> {
    tools::ensure_release_spa_tools()?;
    // The shell's words and keys as the sources say them now, whatever was committed.
    crate::shell_scripts::regenerate_tables()?;
    let root = project_root();
    let staging = root.join("target/spa");
    recreate_dir(&staging)?;

    println!("==> cargo build -p bazaar-web (wasm, release, split points on)");
    process::run(
        process::cargo()
            .args(["build", "-p", "bazaar-web", "--target", "wasm32-unknown-unknown", "--profile", "wasm-split"])
            .env("RUSTFLAGS", SPLIT_RUSTFLAGS),
    )?;
    let built_wasm = root.join("target/wasm32-unknown-unknown/wasm-split/bazaar-web.wasm");

    println!("==> wasm-split-cli");
    let split = staging.join("split");
    process::run(command("wasm-split-cli").arg(&built_wasm).arg(&split).args(["--out-name", "bazaar-web"]))?;

    println!("==> wasm-bindgen");
    let package = staging.join("pkg");
    process::run(
        command("wasm-bindgen")
            .args(["--target", "web", "--keep-lld-exports", "--no-demangle", "--out-name", "bazaar-web"])
            .arg("--out-dir")
            .arg(&package)
            .arg(split.join("bazaar-web.wasm")),
    )?;
    // The chunks and their loader go beside the main module; the loader finds them by URLs
    // relative to itself.
    for path in files_in(&split)? {
        let name = file_name(&path);
        if name != "bazaar-web.wasm" && (name.ends_with(".wasm") || name.ends_with(".js")) {
            std::fs::copy(&path, package.join(&name))?;
        }
    }
    for path in files_in(&package)? {
        if file_name(&path).ends_with(".d.ts") {
            std::fs::remove_file(&path)?;
        }
    }

    println!("==> wasm-opt {}", WASM_OPT_FLAGS.join(" "));
    optimise_all(&package)?;

    // Each page group's files also in a few bundles, and wasm-split's loader asking
    // index.html's loader for a chunk first (see spa_chunks).
    let split_loader_path = package.join("__wasm_split.js");
    let split_loader = std::fs::read_to_string(&split_loader_path)?;
    let bundles = crate::spa_chunks::write_bundles(
        &package,
        &crate::spa_chunks::chunk_files(&split_loader, ".")?,
        crate::spa_chunks::BUNDLE_LIMIT,
    )?;
    let split_loader = crate::spa_chunks::fetch_chunks_through_loader(&split_loader)?;
    std::fs::write(&split_loader_path, &split_loader)?;

    // One directory named by the hash of everything in it: the chunks refer to each other
    // by relative URLs, so the directory name is what changes when any of them does, and
    // every file in it can be cached for good.
    let package_dir_name = format!("pkg-{}", hash_dir(&package)?);
    let dist = crate::dist_dir();
    recreate_dir(&dist)?;
    std::fs::rename(&package, dist.join(&package_dir_name))
        .or_else(|_| copy_dir(&package, &dist.join(&package_dir_name)))?;

    let template = std::fs::read_to_string(root.join("index.html")).context("reading index.html")?;
    let html = render_index_html(&template, &package_dir_name, &dist)?;
    let package_url = format!("/{package_dir_name}");
    let chunks = crate::spa_chunks::chunk_files(&split_loader, &package_url)?;
    let html = crate::spa_chunks::write_into(&html, &chunks, &bundles, &package_url)?;
    std::fs::write(dist.join("index.html"), html)?;
    precompress(&dist)
}

/// Replaces the template's `data-trunk` links: the rust link by the module loader and
/// preloads, css by a hashed stylesheet, inline by the script's text (consecutive ones in one
/// `<script>`: fewer elements for the parser before the first paint), copy-file by a copy.
/// Anything else is an error rather than a silently missing asset.
fn render_index_html(template: &str, package_dir_name: &str, dist: &Path) -> anyhow::Result<String> {
    let root = project_root();
    let mut html = String::new();
    // The inline scripts met since the last other line, with the first one's indent.
    let mut scripts: Option<(String, String)> = None;
    let flush = |html: &mut String, scripts: &mut Option<(String, String)>| {
        if let Some((indent, script)) = scripts.take() {
            html.push_str(&format!("{indent}<script>\n{script}{indent}</script>\n"));
        }
    };
    for line in template.lines() {
        let rel = attribute(line, "rel").filter(|_| line.contains("data-trunk"));
        if rel != Some("inline") {
            flush(&mut html, &mut scripts);
        }
        if !line.contains("data-trunk") {
            html.push_str(line);
            html.push('\n');
            continue;
        }
        let indent = &line[..line.len() - line.trim_start().len()];
        let rel = rel.with_context(|| format!("no rel in {line}"))?;
        match rel {
            "rust" => {
                let base = format!("/{package_dir_name}");
                html.push_str(&format!(
                    "{indent}<link rel=\"modulepreload\" href=\"{base}/bazaar-web.js\" />\n\
                     {indent}<link rel=\"modulepreload\" href=\"{base}/__wasm_split.js\" />\n\
                     {indent}<link rel=\"preload\" href=\"{base}/bazaar-web_bg.wasm\" as=\"fetch\" type=\"application/wasm\" crossorigin=\"anonymous\" />\n\
                     {indent}<script type=\"module\">import init from '{base}/bazaar-web.js'; await init({{ module_or_path: '{base}/bazaar-web_bg.wasm' }});</script>\n"
                ));
            }
            "css" => {
                let href = attribute(line, "href").context("css link without href")?;
                let css = std::fs::read(root.join(href)).with_context(|| format!("reading {href}"))?;
                let stem = Path::new(href).file_stem().and_then(|s| s.to_str()).unwrap_or("style");
                let name = format!("{stem}-{}.css", &hex_sha256(&css)[..16]);
                std::fs::write(dist.join(&name), css)?;
                html.push_str(&format!("{indent}<link rel=\"stylesheet\" href=\"/{name}\" />\n"));
            }
            // As trunk's inline asset: the file's text in a <script> (the shell's scripts,
            // shell/src; the server's CSP allows each by its hash).
            "inline" => {
                let href = attribute(line, "href").context("inline link without href")?;
                if !href.ends_with(".js") {
                    bail!("index.html: only .js files are inlined, not {href}");
                }
                let source = std::fs::read_to_string(root.join(href)).with_context(|| format!("reading {href}"))?;
                // Comment lines are for readers of shell/src, not for every page load (no
                // line of these scripts' strings starts with `//`).
                let mut script: String = source
                    .lines()
                    .filter(|line| !line.trim_start().starts_with("//"))
                    .map(|line| format!("{line}\n"))
                    .collect();
                if script.contains("</script") {
                    bail!("{href}: a script must not contain \"</script\"");
                }
                // Joined to the next file's text: an ending `;` keeps a leading `(` of the
                // next from reading as a call.
                if !script.trim_end().ends_with(';') {
                    script.push_str(";\n");
                }
                scripts.get_or_insert_with(|| (indent.to_owned(), String::new())).1.push_str(&script);
            }
            "copy-file" => {
                let href = attribute(line, "href").context("copy-file link without href")?;
                let source = root.join(href);
                std::fs::copy(&source, dist.join(file_name(&source))).with_context(|| format!("copying {href}"))?;
            }
            other => bail!("index.html: no rule for data-trunk rel=\"{other}\""),
        }
    }
    flush(&mut html, &mut scripts);
    Ok(html)
}

/// The value of `name="..."` in one tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = tag[start..].find('"')?;
    Some(&tag[start..start + end])
}

/// Runs wasm-opt on every module of `dir`, two at a time (the machines have two cores).
fn optimise_all(dir: &Path) -> anyhow::Result<()> {
    let mut modules = files_in(dir)?;
    modules.retain(|path| file_name(path).ends_with(".wasm"));
    // Largest first, so the main module does not start last.
    modules.sort_by_key(|path| std::cmp::Reverse(std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)));
    let queue = std::sync::Mutex::new(modules.into_iter());
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..2)
            .map(|_| {
                scope.spawn(|| -> anyhow::Result<()> {
                    loop {
                        let next = queue.lock().expect("queue lock").next();
                        let Some(module) = next else { return Ok(()) };
                        let output = command("wasm-opt")
                            .args(WASM_OPT_FLAGS)
                            .arg(&module)
                            .arg("-o")
                            .arg(&module)
                            .output()
                            .context("starting wasm-opt")?;
                        if !output.status.success() {
                            bail!(
                                "wasm-opt failed on {}: {}",
                                module.display(),
                                String::from_utf8_lossy(&output.stderr)
                            );
                        }
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .try_for_each(|worker| worker.join().map_err(|_| anyhow::anyhow!("wasm-opt worker panicked"))?)
    })
}

fn hash_dir(dir: &Path) -> anyhow::Result<String> {
    let mut files = files_in(dir)?;
    files.sort();
    let mut hasher = Sha256::new();
    for file in files {
        hasher.update(file_name(&file).as_bytes());
        hasher.update(std::fs::read(&file)?);
    }
    Ok(hex(&hasher.finalize())[..16].to_owned())
}

fn hex_sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn file_name(path: &Path) -> String {
    path.file_name().unwrap_or_default().to_string_lossy().into_owned()
}

fn recreate_dir(dir: &Path) -> anyhow::Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))?;
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))
}

fn copy_dir(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to)?;
    for path in files_in(from)? {
        std::fs::copy(&path, to.join(file_name(&path)))?;
    }
    Ok(())
}

pub fn dist() -> anyhow::Result<()> {
    build_release()?;
    println!("==> cargo build --release -p bazaar-server");
    process::run(process::cargo().args(["build", "--release", "-p", "bazaar-server"]))?;
    println!("SPA in dist/, server in target/release/bazaar-server");
    Ok(())
}

fn compressible(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("js" | "wasm" | "bin" | "css" | "html" | "json" | "svg"))
}

fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut output = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut output, 64 * 1024, 11, 22);
        writer.write_all(bytes).expect("writing to memory");
    }
    output
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).expect("writing to memory");
    encoder.finish().expect("finishing gzip")
}

fn precompress(dir: &Path) -> anyhow::Result<()> {
    for path in files_in(dir)? {
        if path.is_dir() {
            precompress(&path)?;
            continue;
        }
        if !compressible(&path) {
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

/// When the browser fetches an asset of the release SPA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Loading {
    /// Every page load: html, css, the JavaScript and the main wasm module.
    AtStart,
    /// A page group's own chunk (`split_<group>.wasm`), when one of its pages is first shown.
    PageGroup,
    /// Code several page groups use (`chunk_<n>.wasm`), with the first group that needs it.
    Shared,
    /// Some of a page group's own and shared chunks in one file (`bundle_<group>_<n>.bin`),
    /// fetched instead of them when one of its pages is opened by its address.
    Bundle,
}

/// One built asset's size: raw, gzip and brotli bytes.
pub struct AssetSize {
    pub kind: &'static str,
    /// The path under dist/.
    pub name: String,
    pub loading: Loading,
    pub raw: usize,
    pub gzip: usize,
    pub brotli: usize,
}

/// Sizes of the html, js, wasm and css assets in dist/ (the package directory included),
/// compressed sizes read from the `.gz` and `.br` copies `build_release` wrote.
pub fn asset_sizes() -> anyhow::Result<Vec<AssetSize>> {
    let mut sizes = Vec::new();
    collect_asset_sizes(&crate::dist_dir(), "", &mut sizes)?;
    sizes.sort_by(|a, b| (a.loading, a.kind, &a.name).cmp(&(b.loading, b.kind, &b.name)));
    Ok(sizes)
}

fn collect_asset_sizes(dir: &Path, prefix: &str, sizes: &mut Vec<AssetSize>) -> anyhow::Result<()> {
    for path in files_in(dir)? {
        let name = format!("{prefix}{}", file_name(&path));
        if path.is_dir() {
            collect_asset_sizes(&path, &format!("{name}/"), sizes)?;
            continue;
        }
        let kind = match ext(&path).as_str() {
            "wasm" => "wasm",
            "js" => "js",
            "css" => "css",
            "html" => "html",
            "bin" => "bundle",
            _ => continue,
        };
        let file = file_name(&path);
        let loading = if file.starts_with("bundle_") {
            Loading::Bundle
        } else if file.starts_with("split_") {
            Loading::PageGroup
        } else if file.starts_with("chunk_") {
            Loading::Shared
        } else {
            Loading::AtStart
        };
        let size_of = |path: PathBuf| -> anyhow::Result<usize> {
            let metadata = std::fs::metadata(&path).with_context(|| format!("reading {}", path.display()))?;
            Ok(metadata.len() as usize)
        };
        sizes.push(AssetSize {
            kind,
            loading,
            raw: size_of(path.clone())?,
            gzip: size_of(path.with_extension(format!("{}.gz", ext(&path))))?,
            brotli: size_of(path.with_extension(format!("{}.br", ext(&path))))?,
            name,
        });
    }
    Ok(())
}

/// The paths in `dir`, in no particular order.
fn files_in(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?;
    Ok(entries.map(|entry| entry.map(|e| e.path())).collect::<Result<_, _>>()?)
}
