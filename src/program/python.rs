//! Python (`.py`, `.pyi`) to facts, with Ruff's parser: a real AST for
//! every Python version, read as far as it parses.

use ruff_python_ast::visitor::source_order::{self, SourceOrderVisitor};
use ruff_python_ast::{BoolOp, Expr, ExprCall, ExprContext, PySourceType, Stmt};
use ruff_text_size::Ranged;

use super::facts::{
    AUTH_ERROR_AND_PARENTS, Argument, CLIENT_CLASSES, FileFacts, KEY_ARGUMENTS, KEY_VARIABLES, Kind,
    LANGCHAIN_CLASSES, Language, MODEL_ARGUMENTS, MODEL_RESOURCES, Runs, Value,
};

pub(crate) fn facts(source: &str) -> FileFacts {
    read(source, PySourceType::Python)
}

/// A notebook's code cells, joined in order: the text parsed (for the
/// lines shown) and its facts, with where each cell starts.
pub(crate) fn notebook(json: &str) -> Option<(String, FileFacts)> {
    let notebook: serde_json::Value = serde_json::from_str(json).ok()?;
    let mut text = String::new();
    let mut cells = Vec::new();
    for cell in notebook.get("cells")?.as_array()? {
        if cell.get("cell_type").and_then(|t| t.as_str()) != Some("code") {
            continue;
        }
        cells.push(u32::try_from(text.len()).ok()?);
        match cell.get("source") {
            Some(serde_json::Value::String(s)) => text.push_str(s),
            Some(serde_json::Value::Array(lines)) => lines
                .iter()
                .filter_map(|l| l.as_str())
                .for_each(|l| text.push_str(l)),
            _ => {}
        }
        if !text.ends_with('\n') {
            text.push('\n');
        }
    }
    let mut facts = read(&text, PySourceType::Ipynb);
    facts.language = Language::Notebook;
    facts.cells = cells;
    Some((text, facts))
}

fn read(source: &str, source_type: PySourceType) -> FileFacts {
    let parsed = ruff_python_parser::parse_unchecked_source(source, source_type);
    let mut reader = Reader {
        out: FileFacts::default(),
        scopes: vec![0],
        next_scope: 1,
        aliases: std::collections::HashMap::new(),
        key_holders: std::collections::HashSet::new(),
        as_program_only: false,
        from_langchain: std::collections::HashSet::new(),
        in_settings_class: false,
    };
    for stmt in &parsed.syntax().body {
        reader.visit_stmt(stmt);
    }
    if let Some(error) = parsed.errors().first() {
        reader.out.parse_error = Some((
            error.location.start().to_u32(),
            format!(
                "does not parse here ({}); it was linted as far as it parses",
                error.error
            ),
        ));
    }
    reader.out
}

struct Reader {
    out: FileFacts,
    /// The scopes the walk is in: the innermost last.
    scopes: Vec<u32>,
    next_scope: u32,
    /// `from openai import OpenAI as Client`: Client → OpenAI.
    aliases: std::collections::HashMap<String, String>,
    /// Names assigned a key read from the environment (`api_key = os.getenv(…)`).
    key_holders: std::collections::HashSet<String>,
    /// Under `if __name__ == "__main__":`.
    as_program_only: bool,
    /// Names bound to a client class imported from LangChain.
    from_langchain: std::collections::HashSet<String>,
    /// In a pydantic-settings class, whose fields are read as variables.
    in_settings_class: bool,
}

impl Reader {
    fn scope(&self) -> u32 {
        *self.scopes.last().unwrap_or(&0)
    }

    fn push(&mut self, at: impl Ranged, kind: Kind) {
        let scope = self.scope();
        let runs = if self.as_program_only {
            Runs::AsProgramOnly
        } else {
            Runs::InOrder
        };
        self.out.push_running(at.start().to_u32(), scope, kind, runs);
    }

    fn in_new_scope(&mut self, walk: impl FnOnce(&mut Self)) {
        self.scopes.push(self.next_scope);
        self.next_scope += 1;
        walk(self);
        self.scopes.pop();
    }

    fn call(&mut self, call: &ExprCall) {
        let name: Option<String> =
            callee_name(&call.func).map(|n| self.aliases.get(n).map_or(n, String::as_str).to_string());
        let name = name.as_deref();
        if let Some(class) = name.filter(|n| CLIENT_CLASSES.contains(n)).map(str::to_string) {
            let key_given = call
                .arguments
                .keywords
                .iter()
                .any(|k| k.arg.as_ref().is_none_or(|a| KEY_ARGUMENTS.contains(&a.as_str())));
            let langchain = LANGCHAIN_CLASSES.contains(&class.as_str())
                || callee_name(&call.func).is_some_and(|n| self.from_langchain.contains(n));
            let arguments = call
                .arguments
                .keywords
                .iter()
                .map(|k| Argument {
                    name: k.arg.as_ref().map_or("**", |a| a.as_str()).to_string(),
                    at: k.value.start().to_u32(),
                    value: value_of(&k.value),
                })
                .collect();
            self.push(
                call,
                Kind::ClientMade {
                    class,
                    key_given,
                    langchain,
                    arguments,
                },
            );
            for keyword in call.arguments.keywords.iter() {
                let is_key = keyword
                    .arg
                    .as_ref()
                    .is_some_and(|a| KEY_ARGUMENTS.contains(&a.as_str()));
                // os.getenv / environ.get give None, not an error.
                if let (true, Expr::Call(read)) = (is_key, &keyword.value)
                    && let Some(name) = env_read(&keyword.value)
                {
                    self.push(read, Kind::KeyArgumentMayFallBack { name });
                }
            }
        }
        if name.is_some_and(is_logging) {
            let mut finder = KeyFinder {
                holders: &self.key_holders,
                found: None,
            };
            for arg in call
                .arguments
                .args
                .iter()
                .chain(call.arguments.keywords.iter().map(|k| &k.value))
            {
                finder.visit_expr(arg);
            }
            if let Some(what) = finder.found {
                self.push(call, Kind::Logged { what });
            }
        }
        if name == Some("load_dotenv") {
            let keyword = |name: &str| call.arguments.find_keyword(name).map(|k| &k.value);
            // find_dotenv() searches as load_dotenv() does.
            let path = call
                .arguments
                .args
                .first()
                .or_else(|| keyword("dotenv_path"))
                .filter(|p| !matches!(p, Expr::Call(c) if callee_name(&c.func) == Some("find_dotenv") && c.arguments.is_empty()))
                .map(value_of);
            let overrides =
                keyword("override").is_some_and(|v| matches!(v, Expr::BooleanLiteral(b) if b.value));
            self.push(call, Kind::DotenvLoaded { path, overrides });
        }
        // model="gpt-4o" where a model is called or a client made.
        let on_a_model_resource = matches!(&*call.func, Expr::Attribute(method)
            if matches!(&*method.value, Expr::Attribute(resource) if MODEL_RESOURCES.contains(&resource.attr.as_str())));
        let calls_model = name.is_some_and(|n| {
            CLIENT_CLASSES.contains(&n)
                || n == "init_chat_model"
                || (matches!(n, "create" | "parse" | "stream") && on_a_model_resource)
        });
        if calls_model {
            for keyword in call.arguments.keywords.iter() {
                if let Some(&(_, deployment)) = keyword
                    .arg
                    .as_ref()
                    .and_then(|a| MODEL_ARGUMENTS.iter().find(|(n, _)| *n == a.as_str()))
                {
                    let value = value_of(&keyword.value);
                    self.push(&keyword.value, Kind::ModelNamed { value, deployment });
                }
            }
        }
        // openai.ChatCompletion.create(…)
        if let Expr::Attribute(method) = &*call.func
            && let Expr::Attribute(resource) = &*method.value
            && is_name(&resource.value, "openai")
            && LEGACY_RESOURCES.contains(&resource.attr.as_str())
        {
            self.push(
                call,
                Kind::LegacyCall {
                    resource: resource.attr.as_str().to_string(),
                },
            );
        }
        // os.getenv("X", d), os.environ.get("X", d), environ.get, and
        // with keywords: os.getenv(key="X", default=d)
        let keyword = |name: &str| call.arguments.find_keyword(name).map(|k| &k.value);
        let variable = call
            .arguments
            .args
            .first()
            .or_else(|| keyword("key"))
            .and_then(string);
        if reads_env(&call.func)
            && let Some(variable) = variable
        {
            let default = call.arguments.args.get(1).or_else(|| keyword("default"));
            self.push(
                call,
                Kind::EnvRead {
                    name: variable.to_string(),
                    empty_default: default.and_then(string) == Some(""),
                },
            );
        }
        // os.environ.update({"X": v}) and os.environ.update(X=v)
        if let Expr::Attribute(a) = &*call.func
            && a.attr.as_str() == "update"
            && is_environ(&a.value)
        {
            let from_dict = call.arguments.args.iter().flat_map(|arg| match arg {
                Expr::Dict(d) => d
                    .items
                    .iter()
                    .filter_map(|i| i.key.as_ref().and_then(string))
                    .collect(),
                _ => Vec::new(),
            });
            let from_keywords = call
                .arguments
                .keywords
                .iter()
                .filter_map(|k| k.arg.as_ref().map(|a| a.as_str()));
            let names: Vec<String> = from_dict.chain(from_keywords).map(str::to_string).collect();
            for name in names {
                self.push(call, Kind::EnvSet { name });
            }
        }
        // os.environ.setdefault("X", v), os.putenv("X", v)
        let sets = match &*call.func {
            Expr::Attribute(a) => {
                (a.attr.as_str() == "setdefault" && is_environ(&a.value))
                    || (a.attr.as_str() == "putenv" && is_name(&a.value, "os"))
            }
            _ => false,
        };
        if sets && let Some(variable) = call.arguments.args.first().and_then(string) {
            self.push(
                call,
                Kind::EnvSet {
                    name: variable.to_string(),
                },
            );
        }
    }
}

impl<'a> SourceOrderVisitor<'a> for Reader {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        // from openai import OpenAI as Client; from dotenv import load_dotenv as ld
        if let Stmt::ImportFrom(import) = stmt {
            let langchain = import
                .module
                .as_ref()
                .is_some_and(|m| m.as_str().starts_with("langchain"));
            for alias in &import.names {
                let name = alias.name.as_str();
                if langchain && CLIENT_CLASSES.contains(&name) {
                    let local = alias.asname.as_ref().unwrap_or(&alias.name);
                    self.from_langchain.insert(local.as_str().to_string());
                }
                if let Some(asname) = &alias.asname
                    && (CLIENT_CLASSES.contains(&name) || name == "load_dotenv")
                {
                    self.aliases.insert(asname.as_str().to_string(), name.to_string());
                }
            }
        }
        // openai.api_key = …
        if let Stmt::Assign(assign) = stmt {
            for target in &assign.targets {
                if let Expr::Attribute(a) = target
                    && is_name(&a.value, "openai")
                    && MODULE_SETTINGS.contains(&a.attr.as_str())
                {
                    self.push(
                        target,
                        Kind::ModuleSetting {
                            name: a.attr.as_str().to_string(),
                        },
                    );
                }
            }
        }
        // MODEL = "gpt-4o", OPENAI_KEY = os.getenv("OPENAI_KEY"): what a
        // name given to a client holds.
        let assigned = match stmt {
            Stmt::Assign(assign) => match &*assign.targets {
                [Expr::Name(n)] => Some((n.id.as_str(), &*assign.value)),
                _ => None,
            },
            Stmt::AnnAssign(assign) => match (&*assign.target, &assign.value) {
                (Expr::Name(n), Some(value)) => Some((n.id.as_str(), &**value)),
                _ => None,
            },
            _ => None,
        };
        if let Some((name, value)) = assigned
            && !self.in_settings_class
            && let value @ (Value::Text(_) | Value::Env { .. } | Value::Name(_)) = value_of(value)
        {
            let name = name.to_string();
            self.push(stmt, Kind::Assigned { name, value });
        }
        // class Settings(BaseSettings): each field is read from the environment.
        if let Stmt::ClassDef(class) = stmt
            && class
                .bases()
                .iter()
                .any(|b| callee_name(b) == Some("BaseSettings"))
        {
            for (name, value) in settings_fields(class) {
                self.push(stmt, Kind::Assigned { name, value });
            }
        }
        // api_key = os.getenv('OPENAI_API_KEY'): `api_key` now holds the key.
        if let Stmt::Assign(assign) = stmt
            && env_read(&assign.value).is_some_and(|n| KEY_VARIABLES.contains(&n.as_str()))
        {
            for target in &assign.targets {
                if let Expr::Name(n) = target {
                    self.key_holders.insert(n.id.as_str().to_string());
                }
            }
        }
        // @retry(…) / @backoff.on_exception(…) on a function that calls the API.
        if let Stmt::FunctionDef(function) = stmt {
            let mut calls = ApiCalls(false);
            for s in &function.body {
                calls.visit_stmt(s);
            }
            for decorator in function.decorator_list.iter().filter(|_| calls.0) {
                if let Some((library, on)) = retry_decorator(&decorator.expression) {
                    self.push(decorator, Kind::Retry { library, on });
                }
            }
        }
        // import llm; from .llm import client: the module runs here.
        match stmt {
            Stmt::Import(import) => {
                for alias in &import.names {
                    self.push(
                        alias,
                        Kind::Imported {
                            module: alias.name.to_string(),
                        },
                    );
                }
            }
            Stmt::ImportFrom(import) => {
                let from = format!(
                    "{}{}",
                    ".".repeat(import.level as usize),
                    import.module.as_ref().map_or("", |m| m.as_str())
                );
                for alias in &import.names {
                    let module = match (from.ends_with('.'), alias.name.as_str()) {
                        (_, "*") => from.clone(),
                        (true, name) => format!("{from}{name}"),
                        (false, name) => format!("{from}.{name}"),
                    };
                    self.push(stmt, Kind::Imported { module });
                }
            }
            _ => {}
        }
        match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {
                // A settings class's body is read above, as its fields.
                let settings = matches!(stmt, Stmt::ClassDef(c) if c.bases().iter().any(|b| callee_name(b) == Some("BaseSettings")));
                let inner = settings || self.in_settings_class;
                let outer = std::mem::replace(&mut self.in_settings_class, inner);
                self.in_new_scope(|me| source_order::walk_stmt(me, stmt));
                self.in_settings_class = outer;
            }
            // Its body runs only as the program; an `else:` runs on import.
            Stmt::If(branch) if self.scope() == 0 && is_main_guard(&branch.test) => {
                let outer = std::mem::replace(&mut self.as_program_only, true);
                for s in &branch.body {
                    self.visit_stmt(s);
                }
                self.as_program_only = outer;
                for clause in &branch.elif_else_clauses {
                    source_order::walk_elif_else_clause(self, clause);
                }
            }
            // `if TYPE_CHECKING:` never runs: its imports are for the checker.
            Stmt::If(branch)
                if is_name(&branch.test, "TYPE_CHECKING")
                    || matches!(&*branch.test, Expr::Attribute(a) if a.attr.as_str() == "TYPE_CHECKING") =>
            {
                for clause in &branch.elif_else_clauses {
                    source_order::walk_elif_else_clause(self, clause);
                }
            }
            _ => source_order::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Lambda(_) => return self.in_new_scope(|me| source_order::walk_expr(me, expr)),
            Expr::Call(call) => self.call(call),
            // os.environ["X"], read or written
            Expr::Subscript(s) if is_environ(&s.value) => {
                if let Some(variable) = string(&s.slice) {
                    let name = variable.to_string();
                    let kind = match s.ctx {
                        ExprContext::Store => Kind::EnvSet { name },
                        _ => Kind::EnvRead {
                            name,
                            empty_default: false,
                        },
                    };
                    self.push(expr, kind);
                }
            }
            // os.environ.get("X") or ""
            Expr::BoolOp(b) if b.op == BoolOp::Or && b.values.last().and_then(string) == Some("") => {
                for value in &b.values[..b.values.len() - 1] {
                    if let Some(name) = env_read(value) {
                        self.push(
                            value,
                            Kind::EnvRead {
                                name,
                                empty_default: true,
                            },
                        );
                    }
                }
            }
            Expr::StringLiteral(s) => self.push(
                expr,
                Kind::Literal {
                    value: s.value.to_str().to_string(),
                },
            ),
            _ => {}
        }
        source_order::walk_expr(self, expr);
    }
}

/// What an expression holds, as far as the code shows.
fn value_of(expr: &Expr) -> Value {
    if let Some(name) = env_read(expr) {
        let default = match expr {
            Expr::Call(call) => call.arguments.args.get(1).and_then(string).map(str::to_string),
            _ => None,
        };
        return Value::Env {
            name,
            required: matches!(expr, Expr::Subscript(_)),
            default,
            env_file: None,
        };
    }
    match expr {
        Expr::StringLiteral(s) => Value::Text(s.value.to_str().to_string()),
        Expr::Name(n) => Value::Name(n.id.as_str().to_string()),
        Expr::Attribute(a) => Value::Name(a.attr.as_str().to_string()),
        // os.getenv("X") or "d"
        Expr::BoolOp(b) if b.op == BoolOp::Or && b.values.len() == 2 => {
            value_of(&b.values[0]).or_default(string(&b.values[1]))
        }
        Expr::Lambda(l) => Value::Returns(Box::new(value_of(&l.body))),
        // settings.key.get_secret_value(), str(settings.key)
        Expr::Call(c) => match &*c.func {
            Expr::Attribute(a) if a.attr.as_str() == "get_secret_value" => value_of(&a.value),
            Expr::Name(n) if n.id.as_str() == "str" && c.arguments.args.len() == 1 => {
                value_of(&c.arguments.args[0])
            }
            _ => Value::Other,
        },
        _ => Value::Other,
    }
}

/// A pydantic-settings class's fields, as the variables they read: the
/// field's name (or its alias) after `env_prefix`, matched without case,
/// with its default, and the `env_file` the class reads itself.
fn settings_fields(class: &ruff_python_ast::StmtClassDef) -> Vec<(String, Value)> {
    let mut prefix = String::new();
    let mut env_file = None;
    let mut config = |keywords: &mut dyn Iterator<Item = (&str, &Expr)>| {
        for (name, value) in keywords {
            match (name, string(value)) {
                ("env_prefix", Some(p)) => prefix = p.to_string(),
                ("env_file", Some(f)) => env_file = Some(f.to_string()),
                // env_file=(".env", ".env.prod"): the last one wins.
                ("env_file", None) => {
                    if let Expr::Tuple(t) = value {
                        env_file = t.elts.iter().rev().find_map(string).map(str::to_string);
                    }
                }
                _ => {}
            }
        }
    };
    for stmt in &class.body {
        match stmt {
            // model_config = SettingsConfigDict(env_file=".env", env_prefix="APP_")
            Stmt::Assign(a) if matches!(&*a.targets, [Expr::Name(n)] if n.id.as_str() == "model_config") => {
                if let Expr::Call(call) = &*a.value {
                    config(
                        &mut call
                            .arguments
                            .keywords
                            .iter()
                            .filter_map(|k| Some((k.arg.as_ref()?.as_str(), &k.value))),
                    );
                }
            }
            // class Config: env_file = ".env" (pydantic 1)
            Stmt::ClassDef(inner) if inner.name.as_str() == "Config" => {
                config(&mut inner.body.iter().filter_map(|s| match s {
                    Stmt::Assign(a) => match &*a.targets {
                        [Expr::Name(n)] => Some((n.id.as_str(), &*a.value)),
                        _ => None,
                    },
                    _ => None,
                }));
            }
            _ => {}
        }
    }
    let mut fields = Vec::new();
    for stmt in &class.body {
        let Stmt::AnnAssign(field) = stmt else { continue };
        let Expr::Name(name) = &*field.target else {
            continue;
        };
        let name = name.id.as_str();
        if name == "model_config" {
            continue;
        }
        let (mut variable, mut default) = (format!("{prefix}{name}"), None);
        match field.value.as_deref() {
            // Field("d", alias="OPENAI_KEY"), Field(default=…, validation_alias=…, env=…)
            Some(Expr::Call(call)) if callee_name(&call.func) == Some("Field") => {
                default = call.arguments.args.first().and_then(string).map(str::to_string);
                for k in call.arguments.keywords.iter() {
                    match (k.arg.as_ref().map(|a| a.as_str()), string(&k.value)) {
                        (Some("alias" | "validation_alias" | "env"), Some(alias)) => {
                            variable = alias.to_string()
                        }
                        (Some("default"), Some(d)) => default = Some(d.to_string()),
                        _ => {}
                    }
                }
            }
            Some(value) => default = string(value).map(str::to_string),
            None => {}
        }
        fields.push((
            name.to_string(),
            Value::Env {
                name: variable.to_ascii_uppercase(),
                required: default.is_none(),
                default,
                env_file: env_file.clone(),
            },
        ));
    }
    fields
}

/// The 0.x module's settings, which 1.x's clients do not read.
const MODULE_SETTINGS: &[&str] = &["api_key", "api_base", "organization", "api_type", "api_version"];

/// The 0.x resources, removed in 1.x (`APIRemovedInV1`).
const LEGACY_RESOURCES: &[&str] = &[
    "ChatCompletion",
    "Completion",
    "Embedding",
    "Edit",
    "Image",
    "Moderation",
    "Audio",
    "FineTune",
    "File",
    "Model",
];

/// `print`, `logging.info`, `logger.debug`, `st.write`, `pprint`: output.
fn is_logging(name: &str) -> bool {
    matches!(
        name,
        "print"
            | "pprint"
            | "debug"
            | "info"
            | "warning"
            | "warn"
            | "error"
            | "critical"
            | "exception"
            | "log"
            | "write"
    )
}

/// Looks for a key in what is printed: a key variable read, or a name
/// holding one.
struct KeyFinder<'h> {
    holders: &'h std::collections::HashSet<String>,
    found: Option<String>,
}

impl<'a> SourceOrderVisitor<'a> for KeyFinder<'_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.found.is_some() {
            return;
        }
        if let Some(name) = env_read(expr).filter(|n| KEY_VARIABLES.contains(&n.as_str())) {
            self.found = Some(name);
            return;
        }
        match expr {
            Expr::Name(n) if self.holders.contains(n.id.as_str()) => {
                self.found = Some(n.id.as_str().to_string())
            }
            // What is made of the key (`key[-4:]`, `len(key)`, `mask(key)`,
            // `key.startswith(…)`, `key is None`, `not key`) is not the key.
            Expr::Call(_) | Expr::Subscript(_) | Expr::Attribute(_) | Expr::Compare(_) | Expr::UnaryOp(_) => {
            }
            // `a if key else b` writes a or b.
            Expr::If(e) => {
                self.visit_expr(&e.body);
                self.visit_expr(&e.orelse);
            }
            _ => source_order::walk_expr(self, expr),
        }
    }
}

/// Whether a function's body calls the API: `….create(…)` (the SDKs'
/// resources), `.invoke(…)` (LangChain), where an error can leave it: a call
/// inside `try:` whose `except Exception:` does not raise again gives the
/// retry nothing to retry.
struct ApiCalls(bool);

impl<'a> SourceOrderVisitor<'a> for ApiCalls {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if let Stmt::Try(attempt) = stmt
            && attempt.handlers.iter().any(swallows_auth_errors)
        {
            for s in attempt.orelse.iter().chain(&attempt.finalbody) {
                self.visit_stmt(s);
            }
            for handler in &attempt.handlers {
                source_order::walk_except_handler(self, handler);
            }
            return;
        }
        source_order::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr
            && let Expr::Attribute(a) = &*call.func
            && matches!(a.attr.as_str(), "create" | "invoke" | "ainvoke" | "parse")
        {
            self.0 = true;
        }
        source_order::walk_expr(self, expr);
    }
}

/// tenacity's `@retry` (`retry=` absent: every exception; or
/// `retry_if_exception_type(…)`) and `@backoff.on_exception(wait, E)`.
fn retry_decorator(expr: &Expr) -> Option<(String, Option<Vec<String>>)> {
    let (func, call) = match expr {
        Expr::Call(call) => (&*call.func, Some(call)),
        other => (other, None),
    };
    match callee_name(func)? {
        "retry" => {
            let predicate = call.and_then(|c| {
                c.arguments
                    .keywords
                    .iter()
                    .find(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "retry"))
            });
            let on = match predicate.map(|k| &k.value) {
                None => None,
                Some(Expr::Call(p)) if callee_name(&p.func) == Some("retry_if_exception_type") => {
                    Some(p.arguments.args.iter().flat_map(exception_names).collect())
                }
                // A predicate of its own: it decides, and is trusted to.
                Some(_) => Some(vec![]),
            };
            Some(("tenacity".into(), on))
        }
        "on_exception" => {
            let on = call?
                .arguments
                .args
                .get(1)
                .map(exception_names)
                .unwrap_or_default();
            Some(("backoff".into(), Some(on)))
        }
        _ => None,
    }
}

/// `Exception`, `openai.APIError`, `(A, B)`: their last names.
/// `except:`, `except Exception:`, `except openai.APIError as e:` (a parent
/// of AuthenticationError) whose body raises nothing.
fn swallows_auth_errors(handler: &ruff_python_ast::ExceptHandler) -> bool {
    let ruff_python_ast::ExceptHandler::ExceptHandler(handler) = handler;
    let catches = handler.type_.as_deref().is_none_or(|caught| {
        exception_names(caught)
            .iter()
            .any(|name| AUTH_ERROR_AND_PARENTS.contains(&name.as_str()))
    });
    let mut raises = Raises(false);
    for s in &handler.body {
        raises.visit_stmt(s);
    }
    catches && !raises.0
}

/// Whether a body raises (again).
struct Raises(bool);

impl<'a> SourceOrderVisitor<'a> for Raises {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::Raise(_) => self.0 = true,
            // A function defined here raises when it is called, not now.
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
            _ => source_order::walk_stmt(self, stmt),
        }
    }
}

fn exception_names(expr: &Expr) -> Vec<String> {
    match expr {
        Expr::Tuple(t) => t.elts.iter().flat_map(exception_names).collect(),
        _ => callee_name(expr).map(str::to_string).into_iter().collect(),
    }
}

/// `OpenAI`, `openai.OpenAI`, `dotenv.load_dotenv`: the last name.
/// `__name__ == "__main__"`, either way round.
fn is_main_guard(test: &Expr) -> bool {
    let Expr::Compare(compare) = test else {
        return false;
    };
    let [right] = &*compare.comparators else {
        return false;
    };
    let sides = [&*compare.left, right];
    compare.ops.len() == 1
        && compare.ops[0] == ruff_python_ast::CmpOp::Eq
        && sides.iter().any(|e| is_name(e, "__name__"))
        && sides.iter().any(|e| string(e) == Some("__main__"))
}

fn callee_name(func: &Expr) -> Option<&str> {
    match func {
        Expr::Name(n) => Some(n.id.as_str()),
        Expr::Attribute(a) => Some(a.attr.as_str()),
        _ => None,
    }
}

fn is_name(expr: &Expr, name: &str) -> bool {
    matches!(expr, Expr::Name(n) if n.id.as_str() == name)
}

/// `os.environ`, or `environ` imported from os.
fn is_environ(expr: &Expr) -> bool {
    match expr {
        Expr::Attribute(a) => a.attr.as_str() == "environ" && is_name(&a.value, "os"),
        Expr::Name(n) => n.id.as_str() == "environ",
        _ => false,
    }
}

fn string(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::StringLiteral(s) => Some(s.value.to_str()),
        _ => None,
    }
}

/// `getenv`, `os.getenv`, `os.environ.get`, `environ.get`.
fn reads_env(func: &Expr) -> bool {
    match func {
        Expr::Name(n) => n.id.as_str() == "getenv",
        Expr::Attribute(a) => {
            (a.attr.as_str() == "getenv" && is_name(&a.value, "os"))
                || (a.attr.as_str() == "get" && is_environ(&a.value))
        }
        _ => false,
    }
}

/// The variable an expression reads from the environment, if it is such a read.
fn env_read(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Call(call) if reads_env(&call.func) => {
            call.arguments.args.first().and_then(string).map(str::to_string)
        }
        Expr::Subscript(s) if is_environ(&s.value) => string(&s.slice).map(str::to_string),
        _ => None,
    }
}
