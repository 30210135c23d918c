# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_openai_keycheck_global_optspecs
    string join \n h/help V/version
end

function __fish_openai_keycheck_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_openai_keycheck_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_openai_keycheck_using_subcommand
    set -l cmd (__fish_openai_keycheck_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c openai-keycheck -n "__fish_openai_keycheck_needs_command" -s h -l help -d 'Print help'
complete -c openai-keycheck -n "__fish_openai_keycheck_needs_command" -s V -l version -d 'Print version'
complete -c openai-keycheck -n "__fish_openai_keycheck_needs_command" -f -a "doctor" -d 'Resolve, inspect and test the key with one request, then diagnose'
complete -c openai-keycheck -n "__fish_openai_keycheck_needs_command" -f -a "explain" -d 'Diagnose an error you already have (a status, a body, a traceback), offline and without a key'
complete -c openai-keycheck -n "__fish_openai_keycheck_needs_command" -f -a "lint" -d 'Find the credential traps in a program\'s code, before it runs (Python, JavaScript, TypeScript)'
complete -c openai-keycheck -n "__fish_openai_keycheck_needs_command" -f -a "completions" -d 'Print the completion script for a shell'
complete -c openai-keycheck -n "__fish_openai_keycheck_needs_command" -f -a "generate" -d 'Write the completion scripts and man pages under a directory (for packagers and the repository)'
complete -c openai-keycheck -n "__fish_openai_keycheck_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand doctor" -l pid -d 'Check as this running process would: the environment it started with and its working folder, read from /proc (Linux), its key compared with this shell\'s' -r
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand doctor" -l compose -d 'Check as this Compose service\'s container would run: the environment its compose files give it (environment:, env_file:, ${VAR} from the shell and the project\'s .env), the only service or the one that mentions OpenAI when none is named' -r
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand doctor" -l unit -d 'Check as this systemd service would run: the environment of its unit file and drop-ins (Environment=, EnvironmentFile=), its WorkingDirectory=; a name (app, app.service) or a unit file\'s path' -r
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand doctor" -l api-key -d 'The key to test, as the SDK\'s api_key= argument (visible in ps and shell history: prefer --api-key-stdin)' -r
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand doctor" -l base-url -d 'The API base URL [env: OPENAI_BASE_URL] [default: https://api.openai.com/v1]' -r -f
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand doctor" -l org -d 'Organization, sent as OpenAI-Organization as the SDK does [env: OPENAI_ORG_ID]' -r
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand doctor" -l project -d 'Project, sent as OpenAI-Project as the SDK does [env: OPENAI_PROJECT_ID]' -r
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand doctor" -l model -d 'Probe GET {base}/models/{ID} (access to that model) instead of GET {base}/models; with --client azure, the deployment to check' -r
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand doctor" -l azure-endpoint -d 'With --client azure: the resource\'s endpoint, https://NAME.openai.azure.com/ [env: AZURE_OPENAI_ENDPOINT]' -r -f
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand doctor" -l api-version -d 'With --client azure: the API version sent as api-version [env: OPENAI_API_VERSION]' -r
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand doctor" -l env-file -d 'The .env to inspect [default: the nearest .env from the current directory upward]' -r -F
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand doctor" -l proxy -d 'Send the request through this proxy, as a program does that gives its client a proxy agent in code (openai-node: `fetchOptions: { dispatcher: new ProxyAgent(URL) }`); it replaces the proxy variables' -r -f
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand doctor" -l ca-cert -d 'PEM certificate(s) to trust in addition to the system\'s roots (a company proxy\'s CA, a local test server)' -r -F
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand doctor" -l source -d 'Test the key in this source, whichever one your programs would use (e.g. a key in .env shadowed by an exported one)' -r -f -a "flag\t''
env\t''
dotenv\t''
openai_auth_json\t''
codex_auth_json\t''"
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand doctor" -l client -d 'Follow the rules of the client your program uses: openai-python, openai-node, Azure OpenAI (openai-python\'s AzureOpenAI; azure_node: openai-node\'s) or langchain-openai [default: python, or azure when only Azure variables are set]' -r -f -a "python\t''
node\t''
azure\t''
langchain\t''
azure_node\t'openai-node\'s AzureOpenAI'"
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand doctor" -l timeout -d 'Bound on the whole probe, in seconds' -r
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand doctor" -l format -d 'Output format; github adds workflow annotations to the human report (the default when GITHUB_ACTIONS=true)' -r -f -a "human\t''
json\t''
github\t''"
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand doctor" -l color -d 'When to use colour; auto honours NO_COLOR, CLICOLOR_FORCE and whether stdout is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand doctor" -l api-key-stdin -d 'Read the key from standard input (one trailing newline is dropped, as docker login --password-stdin does)'
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand doctor" -l azure-ad-token-stdin -d 'Read a Microsoft Entra ID token from standard input and test it as AzureOpenAI(azure_ad_token=…) or a token provider does: sent as Authorization: Bearer (implies --client azure). E.g. az account get-access-token --resource https://cognitiveservices.azure.com --query accessToken -o tsv | openai-keycheck doctor --azure-ad-token-stdin'
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand doctor" -l no-env-file -d 'Do not look for a .env'
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand doctor" -l trust-env-file -d 'Let a host that only the .env (or, with PROGRAM, the program\'s code) names receive what did not come from the project\'s files: a key, a header, a value it expands from the environment (by default nothing is sent there)'
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand doctor" -l offline -d 'Resolve and inspect only; no network'
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand doctor" -l strict -d 'Warnings count as failures (exit 1): a key only in .env, conflicting sources, an admin key, a key in argv…'
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand doctor" -s q -l quiet -d 'Print one line'
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand doctor" -s v -l verbose -d 'Also print the response headers that matter and the raw error body (key masked)'
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand explain" -l format -d 'Output format' -r -f -a "human\t''
json\t''
github\t''"
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand explain" -l color -d 'When to use colour; auto honours NO_COLOR, CLICOLOR_FORCE and whether stdout is a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand explain" -s q -l quiet -d 'Print one line'
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand explain" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand explain" -s V -l version -d 'Print version'
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand lint" -l format -d 'Output format [default: github under GitHub Actions, else human]' -r -f -a "human\t''
json\t''
github\t''
sarif\t''
junit\t''"
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand lint" -l select -d 'Only these rules (comma-separated ids)' -r -f -a "client_before_dotenv\t''
env_set_after_client\t''
legacy_module_api\t''
wrong_variable_name\t''
retry_on_auth_error\t''
hardcoded_key\t''
browser_exposed_key\t''
key_in_logs\t''
empty_key_default\t''
parse_error\t''"
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand lint" -l ignore -d 'Not these rules (comma-separated ids)' -r -f -a "client_before_dotenv\t''
env_set_after_client\t''
legacy_module_api\t''
wrong_variable_name\t''
retry_on_auth_error\t''
hardcoded_key\t''
browser_exposed_key\t''
key_in_logs\t''
empty_key_default\t''
parse_error\t''"
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand lint" -l fail-on -d 'The least severity that makes the exit code 1 [default: warning]' -r -f -a "error\t''
warning\t''"
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand lint" -l config -d 'Read the settings from this file (an .openai-keycheck.toml, or a pyproject.toml\'s [tool.openai-keycheck.lint]) [default: the nearest one at or above the first path]' -r -F
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand lint" -l no-ignore -d 'Also lint hidden, ignored (.gitignore) and vendored (node_modules, venv) files'
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand lint" -l no-config -d 'Read no settings file: the flags alone decide'
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand lint" -l fix -d 'Apply the safe fixes (those that change nothing but the trap), then report what is left'
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand lint" -l diff -d 'Print every fix (safe or not) as a unified diff, and change no file'
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand lint" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand lint" -s V -l version -d 'Print version'
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand completions" -s V -l version -d 'Print version'
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand generate" -l out-dir -d 'Where `completions/` and `doc/` go' -r -f -a "(__fish_complete_directories)"
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand generate" -s h -l help -d 'Print help'
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand generate" -s V -l version -d 'Print version'
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand help; and not __fish_seen_subcommand_from doctor explain lint completions generate help" -f -a "doctor" -d 'Resolve, inspect and test the key with one request, then diagnose'
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand help; and not __fish_seen_subcommand_from doctor explain lint completions generate help" -f -a "explain" -d 'Diagnose an error you already have (a status, a body, a traceback), offline and without a key'
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand help; and not __fish_seen_subcommand_from doctor explain lint completions generate help" -f -a "lint" -d 'Find the credential traps in a program\'s code, before it runs (Python, JavaScript, TypeScript)'
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand help; and not __fish_seen_subcommand_from doctor explain lint completions generate help" -f -a "completions" -d 'Print the completion script for a shell'
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand help; and not __fish_seen_subcommand_from doctor explain lint completions generate help" -f -a "generate" -d 'Write the completion scripts and man pages under a directory (for packagers and the repository)'
complete -c openai-keycheck -n "__fish_openai_keycheck_using_subcommand help; and not __fish_seen_subcommand_from doctor explain lint completions generate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
