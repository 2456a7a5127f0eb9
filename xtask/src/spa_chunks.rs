//! The wasm files each page group needs, read from wasm-split's loader (`__wasm_split.js`),
//! written into index.html's loader so a page opened by its address (or a link pointed at)
//! fetches its chunks alongside the main module instead of after it has started.

use std::collections::BTreeMap;

use anyhow::{Context as _, bail};

/// Where index.html's loader expects the map; in development it stays `{}`.
const PLACEHOLDER: &str = "/*bazaar-chunk-files*/{}";

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

/// index.html with the chunk map in its loader. Fails if the loader names a group the split
/// did not produce or misses one it did, so the two route tables cannot drift apart.
pub fn write_into(html: &str, groups: &BTreeMap<String, Vec<String>>) -> anyhow::Result<String> {
    if !html.contains(PLACEHOLDER) {
        bail!("index.html: the loader has no {PLACEHOLDER} to fill");
    }
    let named_in_loader: Vec<&str> = html
        .match_indices("return '")
        .filter_map(|(start, _)| html[start + 8..].split('\'').next())
        .filter(|name| name.ends_with("_pages"))
        .collect();
    for group in groups.keys() {
        if !named_in_loader.contains(&group.as_str()) {
            bail!("index.html: the loader's groupOf never returns {group}, a group src/app.rs splits out");
        }
    }
    for name in &named_in_loader {
        if !groups.contains_key(*name) {
            bail!("index.html: the loader's groupOf returns {name}, which the split did not produce");
        }
    }
    let json = serde_json::to_string(groups)?;
    Ok(html.replace(PLACEHOLDER, &json))
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
        let both = "if (a) return 'product_pages'; if (b) return 'app_pages'; const c = /*bazaar-chunk-files*/{};";
        assert!(write_into(both, &groups).unwrap().contains("\"app_pages\":[\"/pkg-1/split_app_pages.wasm\"]"));
        let missing = "if (a) return 'product_pages'; const c = /*bazaar-chunk-files*/{};";
        assert!(write_into(missing, &groups).is_err());
        let extra = "return 'product_pages'; return 'app_pages'; return 'gone_pages'; /*bazaar-chunk-files*/{}";
        assert!(write_into(extra, &groups).is_err());
    }
}
