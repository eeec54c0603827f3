//! doctor's report as text for a person (grouped by severity), as JSON (a versioned
//! schema) and as SARIF 2.1.0 for code-scanning UIs.

use serde_json::{Value, json};

use super::{Finding, RULES, Report, Severity, Target};

/// The JSON schema's version: bump it when a field changes meaning or goes away.
pub const SCHEMA_VERSION: u32 = 1;

/// Where the audited files are, as the report names them.
pub struct Names<'a> {
    pub dockerfile: &'a str,
    pub dockerignore: &'a str,
}

impl Names<'_> {
    fn of(&self, finding: &Finding) -> String {
        let file = match finding.file {
            Target::Dockerfile => self.dockerfile,
            Target::Dockerignore => self.dockerignore,
        };
        if finding.line == 0 {
            file.to_string()
        } else {
            format!("{file}:{}", finding.line)
        }
    }
}

pub fn human(report: &Report, names: &Names<'_>, plan_note: Option<&str>) -> String {
    let mut out = String::new();
    let counts = [Severity::Error, Severity::Warning, Severity::Info].map(|s| (s, report.count(s)));
    let summary: Vec<String> = counts
        .iter()
        .map(|(s, n)| {
            let plural = *n != 1 && *s != Severity::Info;
            format!("{n} {}{}", s.as_str(), if plural { "s" } else { "" })
        })
        .collect();
    out.push_str(&format!("{}: {}\n", names.dockerfile, summary.join(", ")));
    for (severity, count) in counts {
        if count == 0 {
            continue;
        }
        out.push_str(&format!("\n{}\n", severity.as_str().to_uppercase()));
        for f in report.findings.iter().filter(|f| f.severity == severity) {
            out.push_str(&format!(
                "  {}  [{}] {}\n    why ({}): {}\n    fix{}: {}\n",
                names.of(f),
                f.rule,
                f.message,
                f.category.as_str(),
                f.why,
                if f.fixable { " (--fix does it)" } else { "" },
                f.fix
            ));
        }
    }
    if !report.differences.is_empty() {
        out.push_str("\ndocksmith would generate (`docksmith plan` says why):\n");
        for d in &report.differences {
            out.push_str(&format!(
                "  {:<6} {}  ->  {}\n",
                d.what, d.dockerfile, d.docksmith
            ));
        }
    }
    if let Some(note) = plan_note {
        out.push_str(&format!("\nno comparison with docksmith's plan: {note}\n"));
    }
    out
}

pub fn json(report: &Report, names: &Names<'_>, plan_note: Option<&str>) -> Value {
    json!({
        "schema_version": SCHEMA_VERSION,
        "dockerfile": names.dockerfile,
        "dockerignore": names.dockerignore,
        "summary": {
            "error": report.count(Severity::Error),
            "warning": report.count(Severity::Warning),
            "info": report.count(Severity::Info),
        },
        "findings": report.findings,
        "differences": report.differences,
        "plan_error": plan_note,
    })
}

pub fn sarif(report: &Report, names: &Names<'_>) -> Value {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "shortDescription": { "text": r.title },
                "fullDescription": { "text": r.why },
                "defaultConfiguration": { "level": level(r.severity) },
                "properties": { "tags": [r.category.as_str()] },
            })
        })
        .collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let uri = match f.file {
                Target::Dockerfile => names.dockerfile,
                Target::Dockerignore => names.dockerignore,
            };
            json!({
                "ruleId": f.rule,
                "ruleIndex": RULES.iter().position(|r| r.id == f.rule),
                "level": level(f.severity),
                "message": { "text": format!("{}. Fix: {}", f.message, f.fix) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri },
                        // SARIF lines start at 1; a whole-file finding points at the first.
                        "region": { "startLine": f.line.max(1) },
                    }
                }],
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "docksmith doctor",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
        }],
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}
