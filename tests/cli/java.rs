//! Java: what the examples do not cover (checked as rendered Dockerfiles; the Maven
//! examples are built and run, their HEALTHCHECK probe included).

use docksmith::render::verify;

use crate::support::generate_ok;

const MAIN: (&str, &str) = (
    "src/main/java/demo/Main.java",
    "package demo;\npublic class Main { public static void main(String[] a) throws Exception { var s = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(8080), 0); s.start(); } }\n",
);

/// A pom whose jar plugin names the main class; `plugins` go beside it.
fn pom(properties: &str, plugins: &str) -> String {
    format!(
        r#"<project>
  <modelVersion>4.0.0</modelVersion>
  <groupId>demo</groupId>
  <artifactId>demo</artifactId>
  <version>1</version>
  <properties>{properties}</properties>
  <build>
    <plugins>
      <plugin>
        <artifactId>maven-jar-plugin</artifactId>
        <configuration><archive><manifest><mainClass>demo.Main</mainClass></manifest></archive></configuration>
      </plugin>
      {plugins}
    </plugins>
  </build>
</project>
"#
    )
}

#[test]
fn the_toolchains_plugin_states_the_jdk_when_nothing_else_does() {
    let toolchains = "<plugin><artifactId>maven-toolchains-plugin</artifactId><configuration><toolchains><jdk><version>[17,)</version></jdk></toolchains></configuration></plugin>";
    // Without it the default release (21) would be used.
    let (dockerfile, _) = generate_ok(&[("pom.xml", &pom("", toolchains)), MAIN], &[]);
    assert!(
        dockerfile.contains("FROM maven:3.9-eclipse-temurin-17 AS build"),
        "{dockerfile}"
    );
    // A stated release still wins: the toolchain is only the JDK that runs Maven.
    let (dockerfile, _) = generate_ok(
        &[
            (
                "pom.xml",
                &pom(
                    "<maven.compiler.release>21</maven.compiler.release>",
                    toolchains,
                ),
            ),
            MAIN,
        ],
        &[],
    );
    assert!(
        dockerfile.contains("FROM maven:3.9-eclipse-temurin-21 AS build"),
        "{dockerfile}"
    );
}

#[test]
fn the_healthcheck_probe_is_built_only_when_a_healthcheck_is_written() {
    let pom = pom("", "");
    let files = [("pom.xml", pom.as_str()), MAIN];
    let (dockerfile, _) = generate_ok(&files, &[]);
    assert!(
        dockerfile.contains("javac --release 21 -d /opt/healthcheck"),
        "{dockerfile}"
    );
    assert!(
        dockerfile.contains("\"HealthCheck\", \"8080\"]"),
        "{dockerfile}"
    );
    verify::verify(&dockerfile).expect("valid Dockerfile");

    let (dockerfile, _) = generate_ok(&files, &["--healthcheck", "false"]);
    assert!(!dockerfile.contains("HealthCheck"), "{dockerfile}");
    assert!(!dockerfile.contains("HEALTHCHECK"), "{dockerfile}");
}
