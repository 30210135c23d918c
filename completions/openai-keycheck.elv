
use builtin;
use str;

set edit:completion:arg-completer[openai-keycheck] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'openai-keycheck'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'openai-keycheck'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand doctor 'Resolve, inspect and test the key with one request, then diagnose'
            cand explain 'Diagnose an error you already have (a status, a body, a traceback), offline and without a key'
            cand lint 'Find the credential traps in a program''s code, before it runs (Python, JavaScript, TypeScript)'
            cand completions 'Print the completion script for a shell'
            cand generate 'Write the completion scripts and man pages under a directory (for packagers and the repository)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openai-keycheck;doctor'= {
            cand --pid 'Check as this running process would: the environment it started with and its working folder, read from /proc (Linux), its key compared with this shell''s'
            cand --compose 'Check as this Compose service''s container would run: the environment its compose files give it (environment:, env_file:, ${VAR} from the shell and the project''s .env), the only service or the one that mentions OpenAI when none is named'
            cand --unit 'Check as this systemd service would run: the environment of its unit file and drop-ins (Environment=, EnvironmentFile=), its WorkingDirectory=; a name (app, app.service) or a unit file''s path'
            cand --api-key 'The key to test, as the SDK''s api_key= argument (visible in ps and shell history: prefer --api-key-stdin)'
            cand --base-url 'The API base URL [env: OPENAI_BASE_URL] [default: https://api.openai.com/v1]'
            cand --org 'Organization, sent as OpenAI-Organization as the SDK does [env: OPENAI_ORG_ID]'
            cand --project 'Project, sent as OpenAI-Project as the SDK does [env: OPENAI_PROJECT_ID]'
            cand --model 'Probe GET {base}/models/{ID} (access to that model) instead of GET {base}/models; with --client azure, the deployment to check'
            cand --azure-endpoint 'With --client azure: the resource''s endpoint, https://NAME.openai.azure.com/ [env: AZURE_OPENAI_ENDPOINT]'
            cand --api-version 'With --client azure: the API version sent as api-version [env: OPENAI_API_VERSION]'
            cand --env-file 'The .env to inspect [default: the nearest .env from the current directory upward]'
            cand --proxy 'Send the request through this proxy, as a program does that gives its client a proxy agent in code (openai-node: `fetchOptions: { dispatcher: new ProxyAgent(URL) }`); it replaces the proxy variables'
            cand --ca-cert 'PEM certificate(s) to trust in addition to the system''s roots (a company proxy''s CA, a local test server)'
            cand --source 'Test the key in this source, whichever one your programs would use (e.g. a key in .env shadowed by an exported one)'
            cand --client 'Follow the rules of the client your program uses: openai-python, openai-node, Azure OpenAI (openai-python''s AzureOpenAI; azure_node: openai-node''s) or langchain-openai [default: python, or azure when only Azure variables are set]'
            cand --timeout 'Bound on the whole probe, in seconds'
            cand --format 'Output format; github adds workflow annotations to the human report (the default when GITHUB_ACTIONS=true)'
            cand --color 'When to use colour; auto honours NO_COLOR, CLICOLOR_FORCE and whether stdout is a terminal'
            cand --api-key-stdin 'Read the key from standard input (one trailing newline is dropped, as docker login --password-stdin does)'
            cand --azure-ad-token-stdin 'Read a Microsoft Entra ID token from standard input and test it as AzureOpenAI(azure_ad_token=…) or a token provider does: sent as Authorization: Bearer (implies --client azure). E.g. az account get-access-token --resource https://cognitiveservices.azure.com --query accessToken -o tsv | openai-keycheck doctor --azure-ad-token-stdin'
            cand --no-env-file 'Do not look for a .env'
            cand --trust-env-file 'Let a host that only the .env (or, with PROGRAM, the program''s code) names receive what did not come from the project''s files: a key, a header, a value it expands from the environment (by default nothing is sent there)'
            cand --offline 'Resolve and inspect only; no network'
            cand --strict 'Warnings count as failures (exit 1): a key only in .env, conflicting sources, an admin key, a key in argv…'
            cand -q 'Print one line'
            cand --quiet 'Print one line'
            cand -v 'Also print the response headers that matter and the raw error body (key masked)'
            cand --verbose 'Also print the response headers that matter and the raw error body (key masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openai-keycheck;explain'= {
            cand --format 'Output format'
            cand --color 'When to use colour; auto honours NO_COLOR, CLICOLOR_FORCE and whether stdout is a terminal'
            cand -q 'Print one line'
            cand --quiet 'Print one line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openai-keycheck;lint'= {
            cand --format 'Output format [default: github under GitHub Actions, else human]'
            cand --select 'Only these rules (comma-separated ids)'
            cand --ignore 'Not these rules (comma-separated ids)'
            cand --fail-on 'The least severity that makes the exit code 1 [default: warning]'
            cand --config 'Read the settings from this file (an .openai-keycheck.toml, or a pyproject.toml''s [tool.openai-keycheck.lint]) [default: the nearest one at or above the first path]'
            cand --no-ignore 'Also lint hidden, ignored (.gitignore) and vendored (node_modules, venv) files'
            cand --no-config 'Read no settings file: the flags alone decide'
            cand --fix 'Apply the safe fixes (those that change nothing but the trap), then report what is left'
            cand --diff 'Print every fix (safe or not) as a unified diff, and change no file'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openai-keycheck;completions'= {
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openai-keycheck;generate'= {
            cand --out-dir 'Where `completions/` and `doc/` go'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'openai-keycheck;help'= {
            cand doctor 'Resolve, inspect and test the key with one request, then diagnose'
            cand explain 'Diagnose an error you already have (a status, a body, a traceback), offline and without a key'
            cand lint 'Find the credential traps in a program''s code, before it runs (Python, JavaScript, TypeScript)'
            cand completions 'Print the completion script for a shell'
            cand generate 'Write the completion scripts and man pages under a directory (for packagers and the repository)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'openai-keycheck;help;doctor'= {
        }
        &'openai-keycheck;help;explain'= {
        }
        &'openai-keycheck;help;lint'= {
        }
        &'openai-keycheck;help;completions'= {
        }
        &'openai-keycheck;help;generate'= {
        }
        &'openai-keycheck;help;help'= {
        }
    ]
    $completions[$command]
}
