//! A static site's runtime: its build output in an unprivileged web server, nginx
//! by default, caddy when the project ships a Caddyfile, with the server's
//! configuration the build stage writes.

use super::app::NodeApp;
use super::plan::{APP_ROOT, StaticConfig};
use super::static_site::{OwnConfig, WebServer};
use crate::data::{self, Flavor, Libc, UserSetup};
use crate::detect::paths::{join, normalize};
use crate::detect::project::ProjectFacts;
use crate::detect::{Fact, Warning};
use crate::plan::program::BUILD_STAGE;
use crate::plan::{
    Artifact, Choice, EnvVar, Label, PlanError, RuntimeStage, RuntimeUser, check_path,
};
use crate::settings::Settings;

/// Where the build stage leaves the static site's server configuration.
const SITE_CONF: &str = "/tmp/site.conf";

/// A static site's server configuration: the project's own (a privileged port moved
/// to the image's), else nginx's try-a-file-then-the-SPA's-index.html block (a
/// Staticfile decides the fallback).
pub(super) fn static_config(app: &NodeApp) -> StaticConfig {
    let site = &super::data::node().static_site;
    if let Some(own) = &app.server_config {
        let OwnConfig {
            file, port, line, ..
        } = &own.value;
        let command = match (own.value.server, *port < 1024) {
            (WebServer::Nginx, true) => {
                let rewrite = super::static_site::listen_rewrite(*port, site.port);
                vec!["awk".into(), rewrite, file.clone()]
            }
            (WebServer::Caddy, true) => {
                let rewrite = super::caddyfile::address_rewrite(*line, *port, site.port);
                vec!["awk".into(), rewrite, file.clone()]
            }
            (_, false) => vec!["cat".into(), file.clone()],
        };
        return StaticConfig {
            text: None,
            command: Some(command),
            file: SITE_CONF.into(),
        };
    }
    // A Staticfile without `pushstate: enabled` serves files alone: a missing one
    // is a 404, as on Cloud Foundry.
    let fallback = match &app.staticfile {
        Some(staticfile) if !staticfile.value.pushstate => "=404",
        _ => "/index.html",
    };
    StaticConfig {
        text: Some(format!(
            "server {{ listen {}; root {}; location / {{ try_files $uri $uri/ {fallback}; }} }}",
            site.port, site.root
        )),
        command: None,
        file: SITE_CONF.into(),
    }
}

/// A static site: its build output in an unprivileged nginx, or in caddy run as a
/// non-root user when the project's Caddyfile serves it.
pub(super) fn static_runtime(
    app: &NodeApp,
    output: &str,
    flavor: Flavor,
    project: &ProjectFacts,
    settings: &Settings,
) -> Result<(RuntimeStage, Vec<Warning>), PlanError> {
    let own = app.server_config.as_ref();
    let server = Server::of(own.map(|o| o.value.server), flavor);
    let image = match &settings.image_runtime {
        Some(set) => Choice {
            value: set.value.clone(),
            reason: format!("set by {}", set.source),
        },
        None => server.image.clone(),
    };
    let site_root = own
        .and_then(|o| o.value.root.clone())
        .unwrap_or_else(|| server.root.clone());
    // Both come from the project's files (a builder's config, a Staticfile, the
    // server's own configuration): refused there, by name, if a COPY would misread them.
    let evidence = app.kind.evidence.location();
    // A builder may write beside the package (`../backend/static`): the project path.
    let site = normalize(&join(&app.dir, output)).unwrap_or_else(|| join(&app.dir, output));
    check_path(&evidence, "the site's folder", &site)?;
    if let Some(own) = own {
        check_path(&own.value.file, "root", &site_root)?;
    }
    let mut labels = vec![Label {
        key: "org.opencontainers.image.title".into(),
        value: app.name.value.clone(),
    }];
    if let Some(url) = &project.source_url {
        labels.push(Label {
            key: "org.opencontainers.image.source".into(),
            value: url.value.clone(),
        });
    }
    let stage = RuntimeStage {
        image,
        libc: if flavor == Flavor::Alpine {
            Libc::Musl
        } else {
            Libc::Glibc
        },
        user: server.user,
        certificates: data::Provision::Image,
        timezones: data::Provision::Image,
        installer: None,
        packages: Vec::new(),
        workdir: server.workdir,
        user_workdir: None,
        artifacts: vec![
            Artifact {
                from: BUILD_STAGE.into(),
                source: format!("{}/", join(APP_ROOT, &site)),
                target: format!("{site_root}/"),
                chown: None,
            },
            Artifact {
                from: BUILD_STAGE.into(),
                source: SITE_CONF.into(),
                target: server.config,
                chown: None,
            },
        ],
        expose: Some(expose(own, &server.image.value)),
        env: server.env,
        entrypoint: Vec::new(),
        command: server.command,
        healthcheck: Vec::new(),
        labels,
        notes: Vec::new(),
    };
    Ok((stage, Vec::new()))
}

/// The port the site is served on: the project's own, unless privileged (moved to
/// the unprivileged image's port), else the image's.
fn expose(own: Option<&Fact<OwnConfig>>, image: &str) -> Choice<u16> {
    let port = super::data::node().static_site.port;
    match own {
        Some(own) if own.value.port < 1024 => Choice {
            value: port,
            reason: format!(
                "{} listens on {}, moved to {port}: the image's web server runs unprivileged",
                own.evidence, own.value.port
            ),
        },
        Some(own) => Choice::new(own.value.port, &own.evidence),
        None => Choice {
            value: port,
            reason: format!("{image} listens on {port}"),
        },
    }
}

/// What the runtime image of a static site is made of, per web server.
struct Server {
    image: Choice<String>,
    user: RuntimeUser,
    root: String,
    config: String,
    workdir: Option<String>,
    env: Vec<EnvVar>,
    command: Vec<String>,
}

impl Server {
    fn of(server: Option<WebServer>, flavor: Flavor) -> Server {
        let site = &super::data::node().static_site;
        let alpine = flavor == Flavor::Alpine;
        if server != Some(WebServer::Caddy) {
            return Server {
                image: if alpine {
                    Choice {
                        value: site.musl_image.clone(),
                        reason: "nginx, unprivileged (uid 101, port 8080), on Alpine".into(),
                    }
                } else {
                    Choice {
                        value: site.image.clone(),
                        reason: "nginx, unprivileged: runs as uid 101 on port 8080, holds only the site; no Node at run time".into(),
                    }
                },
                user: RuntimeUser {
                    name: "nginx".into(),
                    uid: site.uid,
                    gid: 0,
                    setup: UserSetup::Builtin,
                },
                root: site.root.clone(),
                config: site.config.clone(),
                workdir: None,
                env: Vec::new(),
                command: vec!["nginx".into(), "-g".into(), "daemon off;".into()],
            };
        }
        let caddy = &site.caddy;
        let user = &data::images().user;
        let state = "/tmp/caddy";
        Server {
            image: Choice {
                value: if alpine { &caddy.musl_image } else { &caddy.image }.clone(),
                reason: "caddy, for the project's Caddyfile; run as a non-root user, holds only the site; no Node at run time".into(),
            },
            user: RuntimeUser {
                name: user.name.clone(),
                uid: user.uid,
                gid: user.gid,
                setup: if alpine {
                    UserSetup::Adduser
                } else {
                    UserSetup::Useradd
                },
            },
            root: caddy.root.clone(),
            config: caddy.config.clone(),
            // A Caddyfile without `root` serves caddy's working directory.
            workdir: Some(caddy.root.clone()),
            env: ["XDG_CONFIG_HOME", "XDG_DATA_HOME"]
                .iter()
                .map(|name| EnvVar {
                    name: name.to_string(),
                    value: state.into(),
                    reason: "caddy saves its running configuration and state there; the image's /config and /data belong to root".into(),
                })
                .collect(),
            command: ["caddy", "run", "--config", &caddy.config, "--adapter", "caddyfile"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
        }
    }
}
