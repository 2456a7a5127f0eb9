//! The cloud regions products deploy to, with their names in both languages.

/// (code, English name, Chinese name)
pub const REGIONS: [(&str, &str, &str); 5] = [
    ("cn-north-4", "Beijing", "北京"),
    ("cn-east-3", "Shanghai", "上海"),
    ("ap-southeast-1", "Hong Kong", "香港"),
    ("ap-southeast-3", "Singapore", "新加坡"),
    ("eu-west-101", "Dublin", "都柏林"),
];

pub fn is_known(code: &str) -> bool {
    REGIONS.iter().any(|(known, _, _)| *known == code)
}

/// The region's display name, falling back to its code.
pub fn name(code: &str, chinese: bool) -> &str {
    REGIONS
        .iter()
        .find(|(known, _, _)| *known == code)
        .map(|(_, english, chinese_name)| if chinese { *chinese_name } else { *english })
        .unwrap_or(code)
}
