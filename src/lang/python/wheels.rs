//! Whether the packages a project pins have wheels for a Python minor and a libc
//! (data: `[[wheels]]` in detectors/python.toml). A missing wheel means a source build:
//! slow, in need of compilers and headers, or impossible.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use super::data::PythonWheels;
use crate::detect::Fact;

/// Why `minor` has no glibc wheel for one of the packages, if it has not.
pub fn missing_glibc_wheel(
    minor: &str,
    packages: &[Fact<String>],
    versions: &BTreeMap<String, String>,
) -> Option<String> {
    packages.iter().find_map(|package| {
        let wheels = entry(&package.value)?;
        glibc_gap(
            wheels,
            minor,
            versions.get(&package.value).map(String::as_str),
        )
    })
}

/// Why `package` (at `version`, when known) has no glibc wheel for `minor`.
pub fn glibc_gap(wheels: &PythonWheels, minor: &str, version: Option<&str>) -> Option<String> {
    let package = &wheels.package;
    match (wheels.glibc.get(minor), version) {
        (None, _) => Some(format!("{package} publishes no wheel for Python {minor}")),
        (Some(first), Some(version)) if compare(version, first) == Ordering::Less => Some(format!(
            "{package} {version} has no wheel for Python {minor} (the first is {first})"
        )),
        _ => None,
    }
}

/// Why `package` (at `version`, when known) has no musllinux wheel.
pub fn musl_gap(wheels: &PythonWheels, version: Option<&str>) -> Option<String> {
    let package = &wheels.package;
    match (&wheels.musl, version) {
        (None, _) => Some(format!("{package} publishes no musllinux wheels")),
        (Some(first), Some(version)) if compare(version, first) == Ordering::Less => Some(format!(
            "{package} {version} has no musllinux wheel (the first is {first})"
        )),
        _ => None,
    }
}

pub fn entry(package: &str) -> Option<&'static PythonWheels> {
    super::data::python()
        .wheels
        .iter()
        .find(|w| w.package == package)
}

/// Compares release numbers (`1.26.0` < `1.26.10`); pre-release and local suffixes are
/// ignored, which errs towards "has a wheel".
pub fn compare(a: &str, b: &str) -> Ordering {
    let parts = |v: &str| -> Vec<u64> {
        v.split('+')
            .next()
            .unwrap_or(v)
            .split('.')
            .map(|p| {
                p.chars()
                    .take_while(char::is_ascii_digit)
                    .collect::<String>()
                    .parse()
                    .unwrap_or(0)
            })
            .collect()
    };
    let (a, b) = (parts(a), parts(b));
    for i in 0..a.len().max(b.len()) {
        match a.get(i).unwrap_or(&0).cmp(b.get(i).unwrap_or(&0)) {
            Ordering::Equal => continue,
            other => return other,
        }
    }
    Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::Evidence;

    #[test]
    fn versions_compare_numerically() {
        assert_eq!(compare("1.26.10", "1.26.9"), Ordering::Greater);
        assert_eq!(compare("2.0", "2.0.0"), Ordering::Equal);
        assert_eq!(compare("1.9.2rc1", "1.9.2"), Ordering::Equal);
        assert_eq!(compare("3.4.17.61", "3.4.17.63"), Ordering::Less);
    }

    #[test]
    fn gaps_name_the_package_and_version() {
        let numpy = entry("numpy").unwrap();
        assert_eq!(
            glibc_gap(numpy, "3.12", Some("1.24.4")).as_deref(),
            Some("numpy 1.24.4 has no wheel for Python 3.12 (the first is 1.26.0)")
        );
        assert_eq!(glibc_gap(numpy, "3.11", Some("1.24.4")), None);
        assert_eq!(glibc_gap(numpy, "3.12", None), None);
        assert!(
            musl_gap(entry("torch").unwrap(), None)
                .unwrap()
                .contains("no musllinux wheels")
        );
        assert_eq!(musl_gap(numpy, Some("2.1.0")), None);
        let packages = vec![Fact::new(
            "numpy".to_string(),
            Evidence::default_because("t"),
        )];
        let versions = BTreeMap::from([("numpy".to_string(), "1.24.4".to_string())]);
        assert!(missing_glibc_wheel("3.12", &packages, &versions).is_some());
        assert!(missing_glibc_wheel("3.11", &packages, &versions).is_none());
    }
}
