//! JavaScript and TypeScript (`.js`, `.mjs`, `.cjs`, `.jsx`, `.ts`, `.mts`,
//! `.cts`, `.tsx`) to facts, with oxc's parser: ESM and CommonJS, JSX and
//! TSX, read as far as it parses.

use std::path::Path;

use oxc_allocator::Allocator;
use oxc_ast::ast::{
    Argument, ArrowFunctionExpression, AssignmentExpression, AssignmentTarget, BinaryOperator,
    BindingPattern, CallExpression, ExportAllDeclaration, ExportFromDeclaration, Expression, Function,
    ImportDeclaration, ImportDeclarationSpecifier, ImportExpression, LogicalExpression, LogicalOperator,
    NewExpression, ObjectPropertyKind, PropertyKey, StringLiteral, TemplateLiteral, VariableDeclarator,
};
use oxc_ast_visit::{Visit, walk};
use oxc_span::{GetSpan, SourceType};
use oxc_syntax::scope::ScopeFlags;

use super::facts::{
    Argument as Given, CLIENT_CLASSES, FileFacts, KEY_ARGUMENTS, KEY_VARIABLES, Kind, LANGCHAIN_CLASSES,
    Language, MODEL_ARGUMENTS, MODEL_RESOURCES, Runs, Value,
};

pub(crate) fn facts(source: &str, path: &Path) -> FileFacts {
    let allocator = Allocator::default();
    let source_type = SourceType::from_path(path).unwrap_or_default();
    let parsed = oxc_parser::Parser::new(&allocator, source, source_type).parse();
    let mut reader = Reader {
        source,
        key_holders: std::collections::HashSet::new(),
        out: FileFacts {
            language: Language::JavaScript,
            ..FileFacts::default()
        },
        scopes: vec![0],
        next_scope: 1,
        config_from_dotenv: false,
        from_openai: std::collections::HashMap::new(),
    };
    reader.visit_program(&parsed.program);
    if let Some(error) = parsed.diagnostics.first() {
        let at = error.labels.first().map_or(0, |label| label.offset());
        reader.out.parse_error = Some((
            at,
            format!(
                "does not parse here ({}); it was linted as far as it parses",
                error.message
            ),
        ));
    }
    reader.out
}

struct Reader<'s> {
    source: &'s str,
    /// Names bound to a key read (`const apiKey = process.env.OPENAI_API_KEY`).
    key_holders: std::collections::HashSet<String>,
    out: FileFacts,
    scopes: Vec<u32>,
    next_scope: u32,
    /// `import { config } from 'dotenv'`: a bare `config()` loads it.
    config_from_dotenv: bool,
    /// Names bound to what the `openai` package exports: local → exported.
    from_openai: std::collections::HashMap<String, String>,
}

/// openai-node 3's classes, gone from 4 on.
const LEGACY_CLASSES: &[&str] = &["Configuration", "OpenAIApi"];

impl Reader<'_> {
    fn push(&mut self, at: u32, kind: Kind) {
        let scope = *self.scopes.last().unwrap_or(&0);
        self.out.push(at, scope, kind);
    }

    /// An ES module's `import`, which runs before the module's own code.
    fn push_first(&mut self, at: u32, kind: Kind) {
        let scope = *self.scopes.last().unwrap_or(&0);
        self.out.push_running(at, scope, kind, Runs::First);
    }

    fn in_new_scope(&mut self, walk: impl FnOnce(&mut Self)) {
        self.scopes.push(self.next_scope);
        self.next_scope += 1;
        walk(self);
        self.scopes.pop();
    }
}

impl Reader<'_> {
    /// The models named in a call's options object.
    fn models_in(&mut self, arguments: &[Argument]) {
        for argument in arguments {
            if let Argument::ObjectExpression(object) = argument {
                for given in properties(object) {
                    if let Some(&(_, deployment)) = MODEL_ARGUMENTS.iter().find(|(n, _)| *n == given.name) {
                        self.push(
                            given.at,
                            Kind::ModelNamed {
                                value: given.value,
                                deployment,
                            },
                        );
                    }
                }
            }
        }
    }
}

impl<'a> Visit<'a> for Reader<'_> {
    fn visit_variable_declarator(&mut self, it: &VariableDeclarator<'a>) {
        // const MODEL = "gpt-4o"; const settings = { apiKey: process.env.X }
        if let (BindingPattern::BindingIdentifier(id), Some(init)) = (&it.id, &it.init) {
            match init.without_parentheses() {
                Expression::ObjectExpression(object) => {
                    for given in properties(object) {
                        if !matches!(given.value, Value::Other) {
                            self.push(
                                given.at,
                                Kind::Assigned {
                                    name: given.name,
                                    value: given.value,
                                },
                            );
                        }
                    }
                }
                init => {
                    if let value @ (Value::Text(_) | Value::Env { .. } | Value::Name(_)) = value_of(init) {
                        let name = id.name.as_str().to_string();
                        self.push(it.span.start, Kind::Assigned { name, value });
                    }
                }
            }
        }
        if let (BindingPattern::BindingIdentifier(id), Some(init)) = (&it.id, &it.init)
            && env_read(init).is_some_and(|n| KEY_VARIABLES.contains(&n))
        {
            self.key_holders.insert(id.name.as_str().to_string());
        }
        // const { Configuration, OpenAIApi } = require("openai")
        if let (BindingPattern::ObjectPattern(names), Some(Expression::CallExpression(call))) =
            (&it.id, &it.init)
            && is_require_of(call, "openai")
        {
            for property in &names.properties {
                if let (PropertyKey::StaticIdentifier(imported), BindingPattern::BindingIdentifier(local)) =
                    (&property.key, &property.value)
                {
                    self.from_openai.insert(
                        local.name.as_str().to_string(),
                        imported.name.as_str().to_string(),
                    );
                }
            }
        }
        walk::walk_variable_declarator(self, it);
    }

    fn visit_function(&mut self, it: &Function<'a>, flags: ScopeFlags) {
        self.in_new_scope(|me| walk::walk_function(me, it, flags));
    }

    fn visit_arrow_function_expression(&mut self, it: &ArrowFunctionExpression<'a>) {
        self.in_new_scope(|me| walk::walk_arrow_function_expression(me, it));
    }

    fn visit_new_expression(&mut self, it: &NewExpression<'a>) {
        // new Configuration({…}), new OpenAIApi(…): openai-node 3's API.
        if let Expression::Identifier(id) = &it.callee
            && let Some(imported) = self.from_openai.get(id.name.as_str())
            && LEGACY_CLASSES.contains(&imported.as_str())
        {
            let resource = imported.clone();
            self.push(it.span.start, Kind::LegacyCall { resource });
        }
        if let Some(class) = callee_name(&it.callee).filter(|n| CLIENT_CLASSES.contains(n)) {
            let key_given = it.arguments.first().is_some_and(gives_key);
            let arguments = match it.arguments.first() {
                Some(Argument::ObjectExpression(object)) => properties(object),
                Some(other) => vec![Given {
                    name: "...".into(),
                    at: other.span().start,
                    value: Value::Other,
                }],
                None => vec![],
            };
            self.push(
                it.span.start,
                Kind::ClientMade {
                    class: class.to_string(),
                    key_given,
                    langchain: LANGCHAIN_CLASSES.contains(&class),
                    arguments,
                },
            );
            self.models_in(&it.arguments);
            // `apiKey: process.env.X` is undefined when X is unset, and the
            // client then reads its own variable.
            if let Some(Argument::ObjectExpression(object)) = it.arguments.first() {
                let allows_browser = object.properties.iter().any(|p| {
                    matches!(p, ObjectPropertyKind::ObjectProperty(p)
                        if matches!(&p.key, PropertyKey::StaticIdentifier(id) if id.name.as_str() == "dangerouslyAllowBrowser")
                            && matches!(&p.value, Expression::BooleanLiteral(b) if b.value))
                });
                if allows_browser {
                    self.push(it.span.start, Kind::AllowsBrowser);
                }
                for property in &object.properties {
                    if let ObjectPropertyKind::ObjectProperty(p) = property
                        && matches!(&p.key, PropertyKey::StaticIdentifier(id) if KEY_ARGUMENTS.contains(&id.name.as_str()))
                        && let Some(name) = env_read(&p.value)
                    {
                        self.push(
                            p.value.span().start,
                            Kind::KeyArgumentMayFallBack {
                                name: name.to_string(),
                            },
                        );
                    }
                }
            }
        }
        walk::walk_new_expression(self, it);
    }

    fn visit_call_expression(&mut self, it: &CallExpression<'a>) {
        // console.log(process.env.OPENAI_API_KEY), console.log(apiKey)
        if let Expression::StaticMemberExpression(m) = &it.callee
            && matches!(&m.object, Expression::Identifier(id) if id.name.as_str() == "console")
        {
            let mut finder = KeyFinder {
                holders: &self.key_holders,
                found: None,
            };
            for argument in &it.arguments {
                finder.visit_argument(argument);
            }
            if let Some(what) = finder.found {
                self.push(it.span.start, Kind::Logged { what });
            }
        }
        // pRetry(() => client….create(…)) with no shouldRetry: every error is retried.
        if matches!(&it.callee, Expression::Identifier(id) if id.name.as_str() == "pRetry")
            && let Some(task) = it.arguments.first()
        {
            let span = task.span();
            let calls_api = self
                .source
                .get(span.start as usize..span.end as usize)
                .is_some_and(|text| text.contains(".create(") || text.contains(".invoke("));
            // shouldRetry, or onFailedAttempt throwing AbortError, stops on a 401.
            let decides = match it.arguments.get(1) {
                Some(Argument::ObjectExpression(options)) => options.properties.iter().any(|p| match p {
                    ObjectPropertyKind::ObjectProperty(p) => matches!(&p.key,
                        PropertyKey::StaticIdentifier(id) if matches!(id.name.as_str(), "shouldRetry" | "onFailedAttempt")),
                    // A spread may hold one.
                    ObjectPropertyKind::SpreadProperty(_) => true,
                }),
                // Options built elsewhere may hold one.
                Some(_) => true,
                None => false,
            };
            if calls_api && !decides {
                self.push(
                    it.span.start,
                    Kind::Retry {
                        library: "p-retry".into(),
                        on: None,
                    },
                );
            }
        }
        // require('./llm'): the module runs here.
        if let Expression::Identifier(id) = &it.callee
            && id.name.as_str() == "require"
            && let Some(Argument::StringLiteral(s)) = it.arguments.first()
            && s.value.as_str() != "dotenv/config"
        {
            self.push(it.span.start, imported(s.value.as_str()));
        }
        let bare_config = self.config_from_dotenv
            && matches!(&it.callee, Expression::Identifier(id) if id.name.as_str() == "config");
        if bare_config || loads_dotenv(it) {
            let loading = dotenv_options(it);
            self.push(it.span.start, loading);
        }
        // { model: "gpt-4o" } where a model is called.
        let on_a_model_resource = matches!(&it.callee, Expression::StaticMemberExpression(method)
            if matches!(&method.object, Expression::StaticMemberExpression(resource)
                if MODEL_RESOURCES.contains(&resource.property.name.as_str())));
        if matches!(callee_name(&it.callee), Some("create" | "parse" | "stream")) && on_a_model_resource {
            self.models_in(&it.arguments);
        }
        // Object.assign(process.env, { OPENAI_API_KEY: … })
        if let Expression::StaticMemberExpression(m) = &it.callee
            && m.property.name.as_str() == "assign"
            && matches!(&m.object, Expression::Identifier(id) if id.name.as_str() == "Object")
            && matches!(it.arguments.first(), Some(a) if a.as_expression().is_some_and(is_process_env))
        {
            for argument in it.arguments.iter().skip(1) {
                if let Argument::ObjectExpression(object) = argument {
                    for property in &object.properties {
                        if let ObjectPropertyKind::ObjectProperty(p) = property
                            && let PropertyKey::StaticIdentifier(id) = &p.key
                        {
                            self.push(
                                it.span.start,
                                Kind::EnvSet {
                                    name: id.name.as_str().to_string(),
                                },
                            );
                        }
                    }
                }
            }
        }
        walk::walk_call_expression(self, it);
    }

    fn visit_import_declaration(&mut self, it: &ImportDeclaration<'a>) {
        // `import type` is gone once compiled.
        if !it.import_kind.is_type() {
            let module = it.source.value.as_str();
            match module {
                "dotenv/config" => self.push_first(
                    it.span.start,
                    Kind::DotenvLoaded {
                        path: None,
                        overrides: false,
                    },
                ),
                "dotenv" => {
                    self.config_from_dotenv = true;
                    self.push_first(it.span.start, imported(module));
                }
                _ => self.push_first(it.span.start, imported(module)),
            }
            // import { Configuration, OpenAIApi as Api } from "openai"
            if module == "openai" {
                for specifier in it.specifiers.iter().flatten() {
                    if let ImportDeclarationSpecifier::ImportSpecifier(s) = specifier {
                        self.from_openai
                            .insert(s.local.name.as_str().to_string(), s.imported.name().to_string());
                    }
                }
            }
        }
        walk::walk_import_declaration(self, it);
    }

    // export … from './x' imports it as an `import` does.
    fn visit_export_from_declaration(&mut self, it: &ExportFromDeclaration<'a>) {
        if !it.export_kind.is_type() {
            self.push_first(it.span.start, imported(it.source.value.as_str()));
        }
        walk::walk_export_from_declaration(self, it);
    }

    fn visit_export_all_declaration(&mut self, it: &ExportAllDeclaration<'a>) {
        if !it.export_kind.is_type() {
            self.push_first(it.span.start, imported(it.source.value.as_str()));
        }
        walk::walk_export_all_declaration(self, it);
    }

    // import('./x') runs where it is written: the way to load a module
    // after `dotenv.config()` in an ES module.
    fn visit_import_expression(&mut self, it: &ImportExpression<'a>) {
        if let Expression::StringLiteral(s) = &it.source {
            self.push(it.span.start, imported(s.value.as_str()));
        }
        walk::walk_import_expression(self, it);
    }

    fn visit_assignment_expression(&mut self, it: &AssignmentExpression<'a>) {
        // process.env.X = …: a write, not a read.
        let written = match &it.left {
            AssignmentTarget::StaticMemberExpression(m) if is_process_env(&m.object) => {
                Some(m.property.name.as_str())
            }
            AssignmentTarget::ComputedMemberExpression(m) if is_process_env(&m.object) => {
                string(&m.expression)
            }
            _ => None,
        };
        match written {
            Some(name) => {
                self.push(
                    it.span.start,
                    Kind::EnvSet {
                        name: name.to_string(),
                    },
                );
                self.visit_expression(&it.right);
            }
            None => walk::walk_assignment_expression(self, it),
        }
    }

    fn visit_expression(&mut self, it: &Expression<'a>) {
        if let Some(name) = env_read(it) {
            self.push(
                it.span().start,
                Kind::EnvRead {
                    name: name.to_string(),
                    empty_default: false,
                },
            );
        }
        walk::walk_expression(self, it);
    }

    fn visit_logical_expression(&mut self, it: &LogicalExpression<'a>) {
        // process.env.X ?? "" and process.env.X || ""
        let defaulting = matches!(it.operator, LogicalOperator::Or | LogicalOperator::Coalesce);
        if defaulting
            && string(&it.right) == Some("")
            && let Some(name) = env_read(&it.left)
        {
            self.push(
                it.left.span().start,
                Kind::EnvRead {
                    name: name.to_string(),
                    empty_default: true,
                },
            );
        }
        walk::walk_logical_expression(self, it);
    }

    fn visit_string_literal(&mut self, it: &StringLiteral<'a>) {
        self.push(
            it.span.start,
            Kind::Literal {
                value: it.value.as_str().to_string(),
            },
        );
    }

    fn visit_template_literal(&mut self, it: &TemplateLiteral<'a>) {
        for quasi in &it.quasis {
            if let Some(cooked) = &quasi.value.cooked {
                self.push(
                    quasi.span.start,
                    Kind::Literal {
                        value: cooked.as_str().to_string(),
                    },
                );
            }
        }
        walk::walk_template_literal(self, it);
    }
}

/// Looks for a key in what is logged: a key variable read, or a name
/// holding one.
struct KeyFinder<'h> {
    holders: &'h std::collections::HashSet<String>,
    found: Option<String>,
}

impl<'a> Visit<'a> for KeyFinder<'_> {
    fn visit_expression(&mut self, it: &Expression<'a>) {
        if self.found.is_some() {
            return;
        }
        if let Some(name) = env_read(it).filter(|n| KEY_VARIABLES.contains(n)) {
            self.found = Some(name.to_string());
            return;
        }
        match it {
            Expression::Identifier(id) if self.holders.contains(id.name.as_str()) => {
                self.found = Some(id.name.as_str().to_string());
            }
            // What is made of the key (`key.slice(-4)`, `key.length`,
            // `mask(key)`, `!key`) is not the key.
            Expression::CallExpression(_)
            | Expression::StaticMemberExpression(_)
            | Expression::ComputedMemberExpression(_)
            | Expression::ChainExpression(_)
            | Expression::UnaryExpression(_) => {}
            // `key === undefined` is a boolean; only `"…" + key` carries it.
            Expression::BinaryExpression(b) if b.operator != BinaryOperator::Addition => {}
            // `key ? a : b` logs a or b.
            Expression::ConditionalExpression(e) => {
                self.visit_expression(&e.consequent);
                self.visit_expression(&e.alternate);
            }
            _ => walk::walk_expression(self, it),
        }
    }
}

/// An options object's properties (`...rest` for a spread).
fn properties(object: &oxc_ast::ast::ObjectExpression) -> Vec<Given> {
    object
        .properties
        .iter()
        .map(|p| match p {
            ObjectPropertyKind::ObjectProperty(p) => Given {
                name: match &p.key {
                    PropertyKey::StaticIdentifier(id) => id.name.as_str().to_string(),
                    PropertyKey::StringLiteral(s) => s.value.as_str().to_string(),
                    _ => "[…]".to_string(),
                },
                at: p.value.span().start,
                value: value_of(&p.value),
            },
            ObjectPropertyKind::SpreadProperty(s) => Given {
                name: "...".into(),
                at: s.span.start,
                value: Value::Other,
            },
        })
        .collect()
}

/// What an expression holds, as far as the code shows.
fn value_of(expr: &Expression) -> Value {
    if let Some(name) = env_read(expr) {
        return Value::Env {
            name: name.to_string(),
            default: None,
            env_file: None,
            required: false,
        };
    }
    match expr.without_parentheses() {
        Expression::StringLiteral(s) => Value::Text(s.value.as_str().to_string()),
        Expression::TemplateLiteral(t) if t.expressions.is_empty() => t
            .quasis
            .first()
            .and_then(|q| q.value.cooked.as_ref())
            .map_or(Value::Other, |c| Value::Text(c.as_str().to_string())),
        Expression::Identifier(id) if id.name.as_str() != "undefined" => {
            Value::Name(id.name.as_str().to_string())
        }
        Expression::StaticMemberExpression(m) => Value::Name(m.property.name.as_str().to_string()),
        // process.env.X ?? "d", process.env.X || "d"
        Expression::LogicalExpression(l)
            if matches!(l.operator, LogicalOperator::Or | LogicalOperator::Coalesce) =>
        {
            value_of(&l.left).or_default(string(&l.right))
        }
        // () => "…", async () => { return "…"; }
        Expression::ArrowFunctionExpression(f) => {
            let returned = match &f.body {
                oxc_ast::ast::ArrowFunctionBody::FunctionBody(body) => match body.statements.as_slice() {
                    [oxc_ast::ast::Statement::ReturnStatement(r)] => r.argument.as_ref(),
                    _ => None,
                },
                body => body.as_expression(),
            };
            returned.map_or(Value::Other, |r| Value::Returns(Box::new(value_of(r))))
        }
        _ => Value::Other,
    }
}

/// `dotenv.config({ path: "x", override: true })`, `process.loadEnvFile("x")`.
fn dotenv_options(call: &CallExpression) -> Kind {
    let mut path = None;
    let mut overrides = false;
    match call.arguments.first() {
        Some(Argument::ObjectExpression(object)) => {
            for given in properties(object) {
                match given.name.as_str() {
                    "path" => path = Some(given.value),
                    "override" => {
                        overrides = object.properties.iter().any(|p| matches!(p, ObjectPropertyKind::ObjectProperty(p)
                            if matches!(&p.key, PropertyKey::StaticIdentifier(id) if id.name.as_str() == "override")
                                && matches!(&p.value, Expression::BooleanLiteral(b) if b.value)))
                    }
                    _ => {}
                }
            }
        }
        Some(other) => path = other.as_expression().map(value_of),
        None => {}
    }
    Kind::DotenvLoaded { path, overrides }
}

/// `OpenAI`, `openai.OpenAI`: the last name.
fn callee_name<'a>(callee: &'a Expression<'a>) -> Option<&'a str> {
    match callee {
        Expression::Identifier(id) => Some(id.name.as_str()),
        Expression::StaticMemberExpression(m) => Some(m.property.name.as_str()),
        _ => None,
    }
}

/// `{ apiKey: … }` (or a spread, which may hold one).
fn gives_key(argument: &Argument) -> bool {
    match argument {
        Argument::ObjectExpression(object) => object.properties.iter().any(|p| match p {
            ObjectPropertyKind::ObjectProperty(p) => match &p.key {
                PropertyKey::StaticIdentifier(id) => KEY_ARGUMENTS.contains(&id.name.as_str()),
                PropertyKey::StringLiteral(s) => KEY_ARGUMENTS.contains(&s.value.as_str()),
                _ => true,
            },
            ObjectPropertyKind::SpreadProperty(_) => true,
        }),
        // Options built elsewhere: it may well hold a key.
        _ => true,
    }
}

/// `dotenv.config()`, `require('dotenv').config()`,
/// `require('dotenv/config')`, `process.loadEnvFile()`.
fn loads_dotenv(call: &CallExpression) -> bool {
    match &call.callee {
        Expression::StaticMemberExpression(m) => match m.property.name.as_str() {
            "config" => match &m.object {
                Expression::Identifier(id) => id.name.as_str() == "dotenv",
                Expression::CallExpression(inner) => is_require_of(inner, "dotenv"),
                _ => false,
            },
            "loadEnvFile" => matches!(&m.object, Expression::Identifier(id) if id.name.as_str() == "process"),
            _ => false,
        },
        Expression::Identifier(_) => is_require_of(call, "dotenv/config"),
        _ => false,
    }
}

fn is_require_of(call: &CallExpression, module: &str) -> bool {
    matches!(&call.callee, Expression::Identifier(id) if id.name.as_str() == "require")
        && matches!(call.arguments.first(), Some(Argument::StringLiteral(s)) if s.value.as_str() == module)
}

fn is_process_env(expr: &Expression) -> bool {
    matches!(expr, Expression::StaticMemberExpression(m)
        if m.property.name.as_str() == "env"
            && matches!(&m.object, Expression::Identifier(id) if id.name.as_str() == "process"))
}

/// `import.meta.env`: what Vite (and Astro, SvelteKit) put in the bundle.
fn is_import_meta_env(expr: &Expression) -> bool {
    matches!(expr, Expression::StaticMemberExpression(m)
        if m.property.name.as_str() == "env" && matches!(&m.object, Expression::ImportMeta(_)))
}

/// `process.env.X`, `process.env["X"]`, `import.meta.env.X`.
fn env_read<'a>(expr: &'a Expression<'a>) -> Option<&'a str> {
    match expr {
        Expression::StaticMemberExpression(m)
            if is_process_env(&m.object) || is_import_meta_env(&m.object) =>
        {
            Some(m.property.name.as_str())
        }
        Expression::ComputedMemberExpression(m) if is_process_env(&m.object) => string(&m.expression),
        _ => None,
    }
}

fn imported(module: &str) -> Kind {
    Kind::Imported {
        module: module.to_string(),
    }
}

fn string<'a>(expr: &'a Expression<'a>) -> Option<&'a str> {
    match expr {
        Expression::StringLiteral(s) => Some(s.value.as_str()),
        _ => None,
    }
}
