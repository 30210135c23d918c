
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'openai-keycheck' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'openai-keycheck'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'openai-keycheck' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Resolve, inspect and test the key with one request, then diagnose')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Diagnose an error you already have (a status, a body, a traceback), offline and without a key')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Find the credential traps in a program''s code, before it runs (Python, JavaScript, TypeScript)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the completion script for a shell')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Write the completion scripts and man pages under a directory (for packagers and the repository)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openai-keycheck;doctor' {
            [CompletionResult]::new('--pid', '--pid', [CompletionResultType]::ParameterName, 'Check as this running process would: the environment it started with and its working folder, read from /proc (Linux), its key compared with this shell''s')
            [CompletionResult]::new('--compose', '--compose', [CompletionResultType]::ParameterName, 'Check as this Compose service''s container would run: the environment its compose files give it (environment:, env_file:, ${VAR} from the shell and the project''s .env), the only service or the one that mentions OpenAI when none is named')
            [CompletionResult]::new('--unit', '--unit', [CompletionResultType]::ParameterName, 'Check as this systemd service would run: the environment of its unit file and drop-ins (Environment=, EnvironmentFile=), its WorkingDirectory=; a name (app, app.service) or a unit file''s path')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'The key to test, as the SDK''s api_key= argument (visible in ps and shell history: prefer --api-key-stdin)')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The API base URL [env: OPENAI_BASE_URL] [default: https://api.openai.com/v1]')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Organization, sent as OpenAI-Organization as the SDK does [env: OPENAI_ORG_ID]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project, sent as OpenAI-Project as the SDK does [env: OPENAI_PROJECT_ID]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Probe GET {base}/models/{ID} (access to that model) instead of GET {base}/models; with --client azure, the deployment to check')
            [CompletionResult]::new('--azure-endpoint', '--azure-endpoint', [CompletionResultType]::ParameterName, 'With --client azure: the resource''s endpoint, https://NAME.openai.azure.com/ [env: AZURE_OPENAI_ENDPOINT]')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'With --client azure: the API version sent as api-version [env: OPENAI_API_VERSION]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'The .env to inspect [default: the nearest .env from the current directory upward]')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Send the request through this proxy, as a program does that gives its client a proxy agent in code (openai-node: `fetchOptions: { dispatcher: new ProxyAgent(URL) }`); it replaces the proxy variables')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'PEM certificate(s) to trust in addition to the system''s roots (a company proxy''s CA, a local test server)')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Test the key in this source, whichever one your programs would use (e.g. a key in .env shadowed by an exported one)')
            [CompletionResult]::new('--client', '--client', [CompletionResultType]::ParameterName, 'Follow the rules of the client your program uses: openai-python, openai-node, Azure OpenAI (openai-python''s AzureOpenAI; azure_node: openai-node''s) or langchain-openai [default: python, or azure when only Azure variables are set]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Bound on the whole probe, in seconds')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; github adds workflow annotations to the human report (the default when GITHUB_ACTIONS=true)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour; auto honours NO_COLOR, CLICOLOR_FORCE and whether stdout is a terminal')
            [CompletionResult]::new('--api-key-stdin', '--api-key-stdin', [CompletionResultType]::ParameterName, 'Read the key from standard input (one trailing newline is dropped, as docker login --password-stdin does)')
            [CompletionResult]::new('--azure-ad-token-stdin', '--azure-ad-token-stdin', [CompletionResultType]::ParameterName, 'Read a Microsoft Entra ID token from standard input and test it as AzureOpenAI(azure_ad_token=…) or a token provider does: sent as Authorization: Bearer (implies --client azure). E.g. az account get-access-token --resource https://cognitiveservices.azure.com --query accessToken -o tsv | openai-keycheck doctor --azure-ad-token-stdin')
            [CompletionResult]::new('--no-env-file', '--no-env-file', [CompletionResultType]::ParameterName, 'Do not look for a .env')
            [CompletionResult]::new('--trust-env-file', '--trust-env-file', [CompletionResultType]::ParameterName, 'Let a host that only the .env (or, with PROGRAM, the program''s code) names receive what did not come from the project''s files: a key, a header, a value it expands from the environment (by default nothing is sent there)')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Resolve and inspect only; no network')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Warnings count as failures (exit 1): a key only in .env, conflicting sources, an admin key, a key in argv…')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print one line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print one line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also print the response headers that matter and the raw error body (key masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also print the response headers that matter and the raw error body (key masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openai-keycheck;explain' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour; auto honours NO_COLOR, CLICOLOR_FORCE and whether stdout is a terminal')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print one line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print one line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openai-keycheck;lint' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: github under GitHub Actions, else human]')
            [CompletionResult]::new('--select', '--select', [CompletionResultType]::ParameterName, 'Only these rules (comma-separated ids)')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Not these rules (comma-separated ids)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'The least severity that makes the exit code 1 [default: warning]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read the settings from this file (an .openai-keycheck.toml, or a pyproject.toml''s [tool.openai-keycheck.lint]) [default: the nearest one at or above the first path]')
            [CompletionResult]::new('--no-ignore', '--no-ignore', [CompletionResultType]::ParameterName, 'Also lint hidden, ignored (.gitignore) and vendored (node_modules, venv) files')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no settings file: the flags alone decide')
            [CompletionResult]::new('--fix', '--fix', [CompletionResultType]::ParameterName, 'Apply the safe fixes (those that change nothing but the trap), then report what is left')
            [CompletionResult]::new('--diff', '--diff', [CompletionResultType]::ParameterName, 'Print every fix (safe or not) as a unified diff, and change no file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openai-keycheck;completions' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openai-keycheck;generate' {
            [CompletionResult]::new('--out-dir', '--out-dir', [CompletionResultType]::ParameterName, 'Where `completions/` and `doc/` go')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'openai-keycheck;help' {
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Resolve, inspect and test the key with one request, then diagnose')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Diagnose an error you already have (a status, a body, a traceback), offline and without a key')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Find the credential traps in a program''s code, before it runs (Python, JavaScript, TypeScript)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the completion script for a shell')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Write the completion scripts and man pages under a directory (for packagers and the repository)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'openai-keycheck;help;doctor' {
            break
        }
        'openai-keycheck;help;explain' {
            break
        }
        'openai-keycheck;help;lint' {
            break
        }
        'openai-keycheck;help;completions' {
            break
        }
        'openai-keycheck;help;generate' {
            break
        }
        'openai-keycheck;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
