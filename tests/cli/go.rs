//! Go projects through the CLI: workspaces.

use crate::support::generate_ok;

const API: (&str, &str) = (
    "api/main.go",
    "package main\n\nimport (\n\t\"net/http\"\n\n\t\"example.com/w/lib\"\n)\n\nfunc main() { http.ListenAndServe(\":8080\", lib.Handler()) }\n",
);
const LIB: (&str, &str) = (
    "lib/lib.go",
    "package lib\n\nimport \"net/http\"\n\nfunc Handler() http.Handler { return http.NotFoundHandler() }\n",
);

#[test]
fn a_workspace_builds_with_only_the_members_the_program_needs() {
    let tools = [
        (
            "tools/go.mod",
            "module example.com/w/tools\n\ngo 1.23\n\nrequire golang.org/x/tools v0.24.0\n",
        ),
        ("tools/go.sum", "golang.org/x/tools v0.24.0 h1:x=\n"),
        (
            "tools/tools.go",
            "//go:build tools\n\npackage tools\n\nimport _ \"golang.org/x/tools/cmd/stringer\"\n",
        ),
    ];
    let mut files = vec![
        (
            "go.work",
            "go 1.23\n\nuse (\n\t./api\n\t./lib\n\t./tools\n)\n",
        ),
        (
            "api/go.mod",
            "module example.com/w/api\n\ngo 1.23\n\nrequire github.com/google/uuid v1.6.0\n",
        ),
        ("api/go.sum", "github.com/google/uuid v1.6.0 h1:x=\n"),
        ("lib/go.mod", "module example.com/w/lib\n\ngo 1.23\n"),
        API,
        LIB,
    ];
    files.extend(tools);
    let (dockerfile, _) = generate_ok(&files, &[]);
    assert!(
        dockerfile.contains("ENV GOWORK=/tmp/go.work"),
        "{dockerfile}"
    );
    assert!(
        dockerfile.contains("go work init /src/api /src/lib \\\n    && go mod download"),
        "{dockerfile}"
    );
    assert!(!dockerfile.contains("tools/go.mod"), "{dockerfile}");
    assert!(!dockerfile.contains("source=go.work"), "{dockerfile}");

    // A member required by a needed member's go.mod is needed too (here: the tools
    // module, by the API), and then every member is: the whole workspace, as before.
    let mut files = files.clone();
    files[1] = (
        "api/go.mod",
        "module example.com/w/api\n\ngo 1.23\n\nrequire (\n\tgithub.com/google/uuid v1.6.0\n\texample.com/w/tools v0.0.0\n)\n",
    );
    let (dockerfile, _) = generate_ok(&files, &[]);
    assert!(!dockerfile.contains("GOWORK"), "{dockerfile}");
    assert!(dockerfile.contains("source=tools/go.mod"), "{dockerfile}");

    // go.work's own replace directives would be lost in a smaller workspace.
    let mut files = vec![
        (
            "go.work",
            "go 1.23\n\nuse (\n\t./api\n\t./lib\n\t./tools\n)\n\nreplace github.com/google/uuid => github.com/google/uuid v1.5.0\n",
        ),
        (
            "api/go.mod",
            "module example.com/w/api\n\ngo 1.23\n\nrequire github.com/google/uuid v1.6.0\n",
        ),
        ("lib/go.mod", "module example.com/w/lib\n\ngo 1.23\n"),
        API,
        LIB,
    ];
    files.extend(tools);
    let (dockerfile, _) = generate_ok(&files, &[]);
    assert!(!dockerfile.contains("GOWORK"), "{dockerfile}");
}

#[test]
fn a_port_only_a_subcommand_opens_is_not_exposed() {
    // A CLI whose `serve` subcommand (cobra) listens: a plain run opens no port, so
    // no EXPOSE, and the warning says how to run the subcommand.
    let (dockerfile, stderr) = generate_ok(
        &[
            ("go.mod", "module example.com/notes\n\ngo 1.23\n"),
            (
                "main.go",
                "package main\n\nimport \"example.com/notes/cmd\"\n\nfunc main() { cmd.Execute() }\n",
            ),
            (
                "cmd/root.go",
                "package cmd\n\nvar rootCmd = &cobra.Command{\n\tUse: \"notes\",\n}\n\nfunc Execute() { rootCmd.Execute() }\n",
            ),
            (
                "cmd/serve.go",
                "package cmd\n\nvar serveCmd = &cobra.Command{\n\tUse:   \"serve\",\n\tShort: \"serve the notes over HTTP\",\n}\n\nfunc init() {\n\tserveCmd.Flags().String(\"listen\", \":8080\", \"address to listen on\")\n\trootCmd.AddCommand(serveCmd)\n}\n",
            ),
        ],
        &[],
    );
    assert!(!dockerfile.contains("EXPOSE"), "{dockerfile}");
    assert!(
        stderr.contains("`notes serve` listens on 8080, a subcommand's port"),
        "{stderr}"
    );
}
