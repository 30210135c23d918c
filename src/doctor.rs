//! `doctor`: resolve → inspect → plan → probe → diagnose → report, for the
//! key the user's programs would use. The only command on the network.

use crate::diagnose::{self, Context, Evidence};
use crate::plan::{self, PlanOptions};
use crate::report::{DoctorRun, Report};
use crate::resolve::{self, Inputs};
use crate::vocab::{Finding, KeyKind, Observed, Secrets};
use crate::{inspect, probe};

pub struct Options<'a> {
    pub plan: PlanOptions<'a>,
    /// `--strict`: warnings fail a run that would pass.
    pub strict: bool,
}

/// The report, and every secret the run saw: whatever is printed is
/// redacted with them.
pub struct Doctored {
    pub report: Report,
    pub secrets: Secrets,
}

pub fn doctor(inputs: &Inputs, options: &Options) -> Doctored {
    let resolution = resolve::resolve(inputs);
    let inspection = resolution.tested().and_then(|s| s.value()).map(|key| {
        let mut inspection =
            inspect::inspect_for(key.expose(), resolution.settings.is_openai(), resolution.client);
        // A token's claims are read against the clock, here at the edge.
        if inspection.kind == KeyKind::EntraToken {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            inspection
                .findings
                .extend(inspect::token_findings(key.expose(), now));
        }
        inspection
    });
    // The deployment the program's code names (Azure) is the one tried,
    // unless --model names another. On OpenAI's own API the one request
    // lists the key's models, and every model the code names is looked
    // for in that list. A gateway's models are its own: named, not tried.
    let program = resolution.program.as_ref();
    let from_code = program
        .and_then(|p| p.first_model())
        .filter(|_| resolution.settings.azure.is_some())
        .map(|m| m.id.as_str());
    let plan_options = PlanOptions {
        model: options.plan.model.or(from_code),
        model_in_code: options.plan.model.is_none() && from_code.is_some(),
        ..options.plan
    };
    let (observed, sent) = match plan::plan(&resolution, inspection.as_ref(), &plan_options) {
        Err(reason) => (Observed::NotSent(reason), None),
        Ok(request) => {
            let (observed, trace) = probe::probe(&request);
            (observed, Some((request, trace)))
        }
    };
    // Each model the code names: found missing from the key's model list,
    // or not tried at all (a gateway's, a second deployment): said, never
    // passed over.
    let listed = sent.as_ref().and_then(|(_, trace)| trace.model_ids.as_deref());
    let lists_openai = plan_options.model.is_none() && resolution.settings.is_openai();
    let (mut models_missing, mut models_unchecked) = (Vec::new(), Vec::new());
    for model in program.iter().flat_map(|p| &p.models) {
        match listed {
            Some(ids) if lists_openai && !ids.contains(&model.id) => models_missing.push(model.clone()),
            Some(ids) if lists_openai && ids.contains(&model.id) => {}
            _ if plan_options.model == Some(model.id.as_str()) => {}
            _ => models_unchecked.push(model.clone()),
        }
    }
    let context = Context {
        models_missing: &models_missing,
        models_unchecked: &models_unchecked,
        resolution: &resolution,
        inspection: inspection.as_ref(),
        request: sent.as_ref().map(|(request, _)| request),
        options: &plan_options,
    };
    let mut diagnosis = diagnose::diagnose(&Evidence {
        observed: &observed,
        sdk: None,
        other_service: None,
        client: None,
        sent_word: None,
        doctor: Some(context),
    });
    let findings: Vec<Finding> = resolution
        .findings
        .iter()
        .chain(inspection.iter().flat_map(|i| &i.findings))
        .cloned()
        .collect();
    if options.strict {
        diagnose::apply_strict(&mut diagnosis, &findings);
    }
    let run = DoctorRun {
        resolution: &resolution,
        inspection: inspection.as_ref(),
        observed: &observed,
        sent: sent.as_ref().map(|(request, trace)| (request, trace)),
        findings: &findings,
    };
    Doctored {
        report: Report::doctor(&run, diagnosis, options.strict),
        secrets: resolution.secrets.clone(),
    }
}
