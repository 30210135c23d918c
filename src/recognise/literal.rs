//! An error body written as a literal of the language that printed it —
//! Python's `repr` of a dict, Node's printing of an object — read with the
//! parsers lint already carries (Ruff's, oxc's), as JSON.

/// The body, if it is a Python literal `repr` writes.
pub(crate) fn python(literal: &str) -> Option<serde_json::Value> {
    if !shallow(literal) {
        return None;
    }
    on_a_deep_stack(|| {
        let parsed = ruff_python_parser::parse_expression(literal).ok()?;
        python_to_json(&parsed.syntax().body, 0)
    })
}

/// The body, if it is a JavaScript object literal.
pub(crate) fn javascript(literal: &str) -> Option<serde_json::Value> {
    if !shallow(literal) {
        return None;
    }
    on_a_deep_stack(|| {
        let allocator = oxc_allocator::Allocator::default();
        let parsed =
            oxc_parser::Parser::new(&allocator, literal, oxc_span::SourceType::mjs()).parse_expression();
        javascript_to_json(&parsed.ok()?, 0)
    })
}

/// The parsers recurse as deep as the text nests, and a text can nest in
/// ways no count of brackets sees (`a=>a=>…`, brackets in a regex or a
/// comment): they run on a stack that the whole window, nested at every
/// character, cannot exhaust (only the pages used are committed).
const PARSE_STACK: usize = 256 * 1024 * 1024;

fn on_a_deep_stack<T: Send>(parse: impl FnOnce() -> Option<T> + Send) -> Option<T> {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(PARSE_STACK)
            .spawn_scoped(scope, parse)
            .ok()?
            .join()
            .ok()?
    })
}

/// An error body nests a few levels; one nested deeper than this is no
/// body, and is not handed to a parser (whose recursion it would exhaust).
const MAX_BODY_NESTING: usize = 32;

fn shallow(literal: &str) -> bool {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in literal.chars() {
        match (quote, c) {
            (Some(_), _) if escaped => escaped = false,
            (Some(_), '\\') => escaped = true,
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') => quote = Some(c),
            (None, '{' | '[' | '(') => {
                depth += 1;
                if depth > MAX_BODY_NESTING {
                    return false;
                }
            }
            (None, '}' | ']' | ')') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    true
}

/// A Python literal, as `repr` writes one (strings, numbers, `True`,
/// `None`, lists, tuples, dicts) as JSON, numbers as their text; anything
/// `repr` never writes (a name, a call, strings written side by side) makes
/// it no body at all.
fn python_to_json(expr: &ruff_python_ast::Expr, depth: usize) -> Option<serde_json::Value> {
    if depth > MAX_BODY_NESTING {
        return None;
    }
    use ruff_python_ast::Expr as P;
    use serde_json::Value as J;
    Some(match expr {
        P::StringLiteral(s) if !s.value.is_implicit_concatenated() => J::String(s.value.to_str().to_string()),
        P::NumberLiteral(n) => J::String(match &n.value {
            ruff_python_ast::Number::Int(i) => i.to_string(),
            ruff_python_ast::Number::Float(f) => f.to_string(),
            ruff_python_ast::Number::Complex { .. } => return None,
        }),
        P::BooleanLiteral(b) => J::Bool(b.value),
        P::NoneLiteral(_) => J::Null,
        P::UnaryOp(u)
            if u.op == ruff_python_ast::UnaryOp::USub && matches!(&*u.operand, P::NumberLiteral(_)) =>
        {
            let J::String(number) = python_to_json(&u.operand, depth + 1)? else {
                return None;
            };
            J::String(format!("-{number}"))
        }
        P::Dict(dict) => J::Object(
            dict.items
                .iter()
                .map(|item| {
                    let J::String(key) = python_to_json(item.key.as_ref()?, depth + 1)? else {
                        return None;
                    };
                    Some((key, python_to_json(&item.value, depth + 1)?))
                })
                .collect::<Option<_>>()?,
        ),
        P::List(ruff_python_ast::ExprList { elts, .. })
        | P::Tuple(ruff_python_ast::ExprTuple { elts, .. })
        | P::Set(ruff_python_ast::ExprSet { elts, .. }) => J::Array(
            elts.iter()
                .map(|e| python_to_json(e, depth + 1))
                .collect::<Option<_>>()?,
        ),
        _ => return None,
    })
}

/// A JavaScript object literal (strings, numbers, booleans, `null`, arrays,
/// nested objects) as JSON; integers as integers. Anything else
/// inside (a name, a call) is null.
fn javascript_to_json(expr: &oxc_ast::ast::Expression, depth: usize) -> Option<serde_json::Value> {
    if depth > MAX_BODY_NESTING {
        return None;
    }
    use oxc_ast::ast::{ArrayExpressionElement, Expression as E, ObjectPropertyKind, PropertyKey};
    use serde_json::Value as J;
    Some(match expr {
        E::StringLiteral(s) => J::String(s.value.to_string()),
        E::TemplateLiteral(t) if t.expressions.is_empty() => J::String(
            t.quasis
                .iter()
                .filter_map(|q| q.value.cooked.as_ref())
                .map(|c| c.as_str())
                .collect(),
        ),
        // 401 as the integer it is written as.
        E::NumericLiteral(n) if n.value.fract() == 0.0 && n.value.abs() < 9.0e15 => J::from(n.value as i64),
        E::NumericLiteral(n) => serde_json::Number::from_f64(n.value).map_or(J::Null, J::Number),
        E::BooleanLiteral(b) => J::Bool(b.value),
        E::NullLiteral(_) => J::Null,
        E::ParenthesizedExpression(p) => javascript_to_json(&p.expression, depth + 1)?,
        E::ArrayExpression(array) => J::Array(
            array
                .elements
                .iter()
                .map(|e| match e {
                    ArrayExpressionElement::SpreadElement(_) | ArrayExpressionElement::Elision(_) => J::Null,
                    other => other
                        .as_expression()
                        .and_then(|e| javascript_to_json(e, depth + 1))
                        .unwrap_or(J::Null),
                })
                .collect(),
        ),
        E::ObjectExpression(object) => J::Object(
            object
                .properties
                .iter()
                .filter_map(|p| {
                    let ObjectPropertyKind::ObjectProperty(p) = p else {
                        return None;
                    };
                    let key = match &p.key {
                        PropertyKey::StaticIdentifier(id) => id.name.to_string(),
                        PropertyKey::StringLiteral(s) => s.value.to_string(),
                        _ => return None,
                    };
                    Some((key, javascript_to_json(&p.value, depth + 1).unwrap_or(J::Null)))
                })
                .collect(),
        ),
        _ => return None,
    })
}
