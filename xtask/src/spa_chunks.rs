//! The wasm files each page group needs, read from wasm-split's loader (`__wasm_split.js`),
//! written into index.html's loader so a page opened by its address (or a link pointed at)
//! fetches its chunks alongside the main module instead of after it has started.
//!
//! A group needs its own chunk and 20–40 shared ones, most of them a few hundred bytes.
//! Over HTTP/1.1 on a phone (150 ms round trips, six connections) fetching them one by one
//! costs a round trip per few files, so each group's files are also written, one after
//! another, into a few bundles (`bundle_<group>_<n>.bin`) of up to `BUNDLE_LIMIT` bytes: the
//! page opened by its address fetches those few files (and any file too large for a bundle
//! on its own), and wasm-split's loader, whose chunk fetches go through index.html's loader
//! (`__bazaarEarly.chunk`), is handed each chunk cut out of its bundle. Not one bundle per
//! group: one big download on one connection is slower than the same bytes over several
//! (each TCP connection starts slow), and Lighthouse's simulation took checkout's largest
//! paint from 2.1 to 3.2 s with its 185 KB in one file.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context as _, bail};

/// Where index.html's loader expects the maps; in development they stay `{}`.
const PLACEHOLDER: &str = "/*bazaar-chunk-files*/{}";
const BUNDLE_PLACEHOLDER: &str = "/*bazaar-chunk-bundles*/{}";

/// What wasm-split's loader calls to fetch a chunk, and what it calls instead: index.html's
/// loader, or `fetch` itself when that is missing (the module loaded on its own).
const SPLIT_FETCH: &str = "fetch(new URL(\"./";
const LOADER_FETCH: &str = "(globalThis.__bazaarEarly?.chunk || fetch)(new URL(\"./";

/// The most bytes (after `wasm-opt`, before compression) in one bundle; a file this large
/// or larger is fetched on its own.
pub const BUNDLE_LIMIT: usize = 64 * 1024;

/// Some of one page group's files in one: `file` (in the package directory) holds each of `parts`
/// (file name, offset, length) in turn.
#[derive(Debug, PartialEq, Eq)]
pub struct Bundle {
    pub file: String,
    pub parts: Vec<(String, usize, usize)>,
}

/// Group name → the URLs of its own chunk and every shared chunk it depends on, parsed from
/// the `export const __wasm_split_load_<group> = … fetch(new URL("./split_<group>.wasm" …),
/// [__chunk_a, __chunk_b])` entries of wasm-split's loader.
pub fn chunk_files(split_loader: &str, package_url: &str) -> anyhow::Result<BTreeMap<String, Vec<String>>> {
    const EXPORT: &str = "export const __wasm_split_load_";
    let mut groups = BTreeMap::new();
    for entry in split_loader.split(EXPORT).skip(1) {
        let group = entry.split(' ').next().context("a split export without a name")?.to_owned();
        let own_file = format!("split_{group}.wasm");
        if !entry.contains(&format!("\"./{own_file}\"")) {
            bail!("__wasm_split.js: the loader of {group} does not fetch {own_file}");
        }
        let dependencies = entry
            .rsplit_once('[')
            .and_then(|(_, rest)| rest.split_once(']'))
            .map(|(list, _)| list)
            .with_context(|| format!("__wasm_split.js: no dependency list for {group}"))?;
        let mut files = vec![format!("{package_url}/{own_file}")];
        for dependency in dependencies.split(',').map(str::trim).filter(|name| !name.is_empty()) {
            let number = dependency
                .strip_prefix("__chunk_")
                .with_context(|| format!("__wasm_split.js: unexpected dependency {dependency}"))?;
            files.push(format!("{package_url}/chunk_{number}.wasm"));
        }
        groups.insert(group, files);
    }
    if groups.is_empty() {
        bail!("__wasm_split.js exports no page groups");
    }
    Ok(groups)
}

/// wasm-split's loader with every chunk fetched through index.html's loader.
pub fn fetch_chunks_through_loader(split_loader: &str) -> anyhow::Result<String> {
    let count = split_loader.matches(SPLIT_FETCH).count();
    if count == 0 {
        bail!("__wasm_split.js: no chunk is fetched with {SPLIT_FETCH}");
    }
    Ok(split_loader.replace(SPLIT_FETCH, LOADER_FETCH))
}

/// Writes each group's bundles into `package`, from `groups` as `chunk_files` reads them
/// with the package URL `.`: its files under `limit` bytes in their order, a new bundle
/// whenever the next would take the current one past `limit`.
pub fn write_bundles(
    package: &Path,
    groups: &BTreeMap<String, Vec<String>>,
    limit: usize,
) -> anyhow::Result<BTreeMap<String, Vec<Bundle>>> {
    let mut all = BTreeMap::new();
    for (group, files) in groups {
        let mut bundles = Vec::new();
        let mut bytes = Vec::new();
        let mut parts = Vec::new();
        let mut close = |bytes: &mut Vec<u8>, parts: &mut Vec<(String, usize, usize)>| -> anyhow::Result<()> {
            if parts.is_empty() {
                return Ok(());
            }
            let file = format!("bundle_{group}_{}.bin", bundles.len() + 1);
            std::fs::write(package.join(&file), std::mem::take(bytes))?;
            bundles.push(Bundle { file, parts: std::mem::take(parts) });
            Ok(())
        };
        for file in files {
            let name = file.strip_prefix("./").with_context(|| format!("{file} is not in the package directory"))?;
            let chunk = std::fs::read(package.join(name)).with_context(|| format!("reading {name}"))?;
            if chunk.len() >= limit {
                continue;
            }
            if bytes.len() + chunk.len() > limit {
                close(&mut bytes, &mut parts)?;
            }
            parts.push((name.to_owned(), bytes.len(), chunk.len()));
            bytes.extend_from_slice(&chunk);
        }
        close(&mut bytes, &mut parts)?;
        all.insert(group.clone(), bundles);
    }
    Ok(all)
}

/// index.html with the chunk map in its loader. Fails if the loader names a group the split
/// did not produce or misses one it did, so the two route tables cannot drift apart.
/// The bundles go in as `{group: [{href, parts: [[href, offset, length], …]}, …]}`.
pub fn write_into(
    html: &str,
    groups: &BTreeMap<String, Vec<String>>,
    bundles: &BTreeMap<String, Vec<Bundle>>,
    package_url: &str,
) -> anyhow::Result<String> {
    for placeholder in [PLACEHOLDER, BUNDLE_PLACEHOLDER] {
        if !html.contains(placeholder) {
            bail!("index.html: the loader has no {placeholder} to fill");
        }
    }
    // The groups the shell's route table (tables.js, generated from src/app.rs) names.
    let named_in_loader: Vec<&str> = html
        .match_indices("_pages\"")
        .map(|(end, _)| {
            let start = html[..end].rfind('"').map_or(0, |quote| quote + 1);
            &html[start..end + "_pages".len()]
        })
        .collect();
    for group in groups.keys() {
        if !named_in_loader.contains(&group.as_str()) {
            bail!("index.html: the shell's route table never names {group}, a group src/app.rs splits out");
        }
    }
    for name in &named_in_loader {
        if !groups.contains_key(*name) {
            bail!("index.html: the shell's route table names {name}, which the split did not produce");
        }
    }
    let bundles: serde_json::Map<String, serde_json::Value> = bundles
        .iter()
        .map(|(group, bundles)| {
            let bundles: Vec<_> = bundles
                .iter()
                .map(|bundle| {
                    let parts: Vec<_> = bundle
                        .parts
                        .iter()
                        .map(|(name, offset, length)| {
                            serde_json::json!([format!("{package_url}/{name}"), offset, length])
                        })
                        .collect();
                    serde_json::json!({ "href": format!("{package_url}/{}", bundle.file), "parts": parts })
                })
                .collect();
            (group.clone(), serde_json::Value::Array(bundles))
        })
        .collect();
    Ok(html
        .replace(PLACEHOLDER, &serde_json::to_string(groups)?)
        .replace(BUNDLE_PLACEHOLDER, &serde_json::to_string(&bundles)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOADER: &str = r#"
const __chunk_8 = makeLoad(() => {
    const src = fetch(new URL("./chunk_8.wasm", import.meta.url));
}, []);
export const __wasm_split_load_product_pages = wrapAsyncCb(makeLoad(() => {
    const src = fetch(new URL("./split_product_pages.wasm", import.meta.url));
}
, [__chunk_8, __chunk_9]));
export const __wasm_split_load_app_pages = wrapAsyncCb(makeLoad(() => {
    const src = fetch(new URL("./split_app_pages.wasm", import.meta.url));
}
, []));
"#;

    #[test]
    fn each_group_needs_its_own_file_and_its_shared_chunks() {
        let groups = chunk_files(LOADER, "/pkg-1").unwrap();
        assert_eq!(
            groups["product_pages"],
            ["/pkg-1/split_product_pages.wasm", "/pkg-1/chunk_8.wasm", "/pkg-1/chunk_9.wasm"]
        );
        assert_eq!(groups["app_pages"], ["/pkg-1/split_app_pages.wasm"]);
    }

    #[test]
    fn the_loader_and_the_split_must_name_the_same_groups() {
        let groups = chunk_files(LOADER, "/pkg-1").unwrap();
        let none = BTreeMap::new();
        let both = r#"routeGroups: [["/p", "product_pages"], ["/a", "app_pages"]]; const c = /*bazaar-chunk-files*/{}; /*bazaar-chunk-bundles*/{}"#;
        assert!(
            write_into(both, &groups, &none, "/pkg-1")
                .unwrap()
                .contains("\"app_pages\":[\"/pkg-1/split_app_pages.wasm\"]")
        );
        let missing =
            r#"routeGroups: [["/p", "product_pages"]]; const c = /*bazaar-chunk-files*/{}; /*bazaar-chunk-bundles*/{}"#;
        assert!(write_into(missing, &groups, &none, "/pkg-1").is_err());
        let extra = r#"[["/p", "product_pages"], ["/a", "app_pages"], ["/g", "gone_pages"]] /*bazaar-chunk-files*/{} /*bazaar-chunk-bundles*/{}"#;
        assert!(write_into(extra, &groups, &none, "/pkg-1").is_err());
        let no_bundles = r#"[["/p", "product_pages"], ["/a", "app_pages"]] /*bazaar-chunk-files*/{}"#;
        assert!(write_into(no_bundles, &groups, &none, "/pkg-1").is_err());
    }

    #[test]
    fn every_chunk_is_fetched_through_index_html_s_loader() {
        let patched = fetch_chunks_through_loader(LOADER).unwrap();
        assert_eq!(patched.matches(LOADER_FETCH).count(), 3);
        assert!(!patched.replace(LOADER_FETCH, "").contains("fetch(new URL"));
        assert!(fetch_chunks_through_loader("export const nothing = 1;").is_err());
    }

    #[test]
    fn a_bundle_holds_its_group_s_files_in_turn() {
        let package = std::env::temp_dir().join(format!("bazaar-bundle-test-{}", std::process::id()));
        std::fs::create_dir_all(&package).unwrap();
        std::fs::write(package.join("split_product_pages.wasm"), b"own").unwrap();
        std::fs::write(package.join("chunk_8.wasm"), b"eight").unwrap();
        std::fs::write(package.join("chunk_9.wasm"), b"nine").unwrap();
        std::fs::write(package.join("split_app_pages.wasm"), b"app").unwrap();
        let bundles = write_bundles(&package, &chunk_files(LOADER, ".").unwrap(), 100).unwrap();
        let [product] = &bundles["product_pages"][..] else { panic!("one bundle") };
        assert_eq!(product.file, "bundle_product_pages_1.bin");
        assert_eq!(std::fs::read(package.join(&product.file)).unwrap(), b"owneightnine");
        assert_eq!(
            product.parts,
            [
                ("split_product_pages.wasm".to_owned(), 0, 3),
                ("chunk_8.wasm".to_owned(), 3, 5),
                ("chunk_9.wasm".to_owned(), 8, 4)
            ]
        );
        // Past the limit a new bundle starts; a file of the limit's size is fetched on its own.
        let small = write_bundles(&package, &chunk_files(LOADER, ".").unwrap(), 5).unwrap();
        let [first, second] = &small["product_pages"][..] else { panic!("two bundles") };
        assert_eq!(std::fs::read(package.join(&first.file)).unwrap(), b"own");
        assert_eq!(first.parts, [("split_product_pages.wasm".to_owned(), 0, 3)]);
        assert_eq!(std::fs::read(package.join(&second.file)).unwrap(), b"nine");
        assert_eq!(second.parts, [("chunk_9.wasm".to_owned(), 0, 4)]);
        let html = write_into(
            r#"[["/p", "product_pages"], ["/a", "app_pages"]] /*bazaar-chunk-files*/{} /*bazaar-chunk-bundles*/{}"#,
            &chunk_files(LOADER, "/pkg-1").unwrap(),
            &bundles,
            "/pkg-1",
        )
        .unwrap();
        assert!(html.contains(
            r#""product_pages":[{"href":"/pkg-1/bundle_product_pages_1.bin","parts":[["/pkg-1/split_product_pages.wasm",0,3],"#
        ));
        std::fs::remove_dir_all(&package).unwrap();
    }
}
