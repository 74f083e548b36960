// The layer rule: every import specifier and every global a file under src/ uses must be on its
// layer's allowlist (eslint-rules/layers.js); anything unknown fails. The model is Signal
// Desktop's file-suffix rule (a file's environment decides what it may import), with the layer
// taken from the folder (ARCHITECTURE.md "Layout") instead of a suffix.
import path from 'node:path';
import { LAYERS, EXTRA_GRANTS, TEST_FILES } from './layers.js';

/** A glob of the few shapes used in layers.js: `**`, `*`, literal text. */
export function globToRegExp(glob) {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (glob.startsWith('**/', i)) {
      re += '(?:.*/)?';
      i += 2;
    } else if (glob.startsWith('**', i)) {
      re += '.*';
      i += 1;
    } else if (c === '*') re += '[^/]*';
    else re += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

const matchesAny = (file, globs) => globs.some((g) => globToRegExp(g).test(file));

/** The layer a repo-relative path belongs to, or undefined when it sits in no layer. */
export function layerOf(file) {
  return Object.entries(LAYERS).find(([, layer]) => file === layer.folder || file.startsWith(`${layer.folder}/`))?.[0];
}

/** What one file may use: its layer's lists plus test extras and the explicit grants for it. */
export function policyFor(file) {
  const name = layerOf(file);
  if (!name) return undefined;
  const layer = LAYERS[name];
  const isTest = matchesAny(file, TEST_FILES);
  const parts = [layer, ...(isTest ? [layer.tests] : []), ...EXTRA_GRANTS.filter((g) => g.layer === name && matchesAny(file, g.files) && (g.only === undefined || (g.only === 'tests') === isTest))];
  return {
    name,
    layer,
    isTest,
    packages: parts.flatMap((p) => p.packages ?? []),
    layers: parts.flatMap((p) => p.layers ?? []),
    files: parts.flatMap((p) => p.files ?? []),
    // A file that runs in another global scope (a worklet) gets that scope's globals only.
    globals: new Set(parts.some((p) => p.onlyGlobals) ? parts.flatMap((p) => p.onlyGlobals ?? []) : parts.flatMap((p) => p.globals ?? [])),
  };
}

/** A package pattern: `x` (x and its subpaths), `@scope/*`, `node:*`. */
function packageMatches(pattern, specifier) {
  if (pattern.endsWith('*')) return specifier.startsWith(pattern.slice(0, -1));
  return specifier === pattern || specifier.startsWith(`${pattern}/`);
}

/** Checks one specifier; returns undefined when allowed, else the reason it is not. */
export function classifyImport(policy, file, specifier, importedNames) {
  const bare = specifier.split('?')[0];
  if (bare.startsWith('.') || bare.startsWith('/')) {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), bare));
    const targetLayer = layerOf(target);
    if (targetLayer ? policy.layers.includes(targetLayer) : matchesAny(target, policy.files)) return undefined;
    return targetLayer ? `reaches src/${targetLayer} (${target}), which the ${policy.name} layer may not import` : `reaches ${target}, outside every layer`;
  }
  const allowed = policy.packages.filter((p) => packageMatches(typeof p === 'string' ? p : p.package, bare));
  if (allowed.length === 0) {
    const hint = !bare.startsWith('node:') && NODE_BUILTIN_NAMES.has(bare.split('/')[0]) ? ` (Node builtins are written 'node:${bare}')` : '';
    return `is not on the ${policy.name} layer's import allowlist${hint}`;
  }
  if (allowed.some((p) => typeof p === 'string')) return undefined;
  const names = new Set(allowed.flatMap((p) => p.names));
  const bad = importedNames === undefined ? ['* (the whole module)'] : importedNames.filter((n) => !names.has(n));
  return bad.length ? `may be imported here only for ${[...names].join(', ')}, not ${bad.join(', ')}` : undefined;
}

const NODE_BUILTIN_NAMES = new Set(['assert', 'buffer', 'child_process', 'crypto', 'dgram', 'dns', 'events', 'fs', 'http', 'https', 'module', 'net', 'os', 'path', 'process', 'stream', 'timers', 'tls', 'url', 'util', 'worker_threads', 'zlib']);

/** The names an import/export statement takes from its module; undefined for `* as`, default or bare side-effect use. */
function importedNamesOf(node) {
  if (node.type === 'ImportDeclaration') {
    if (node.specifiers.length === 0) return undefined;
    const names = [];
    for (const s of node.specifiers) {
      if (s.type !== 'ImportSpecifier') return undefined;
      names.push(s.imported.type === 'Identifier' ? s.imported.name : String(s.imported.value));
    }
    return names;
  }
  if (node.type === 'ExportNamedDeclaration') return node.specifiers.map((s) => (s.local.type === 'Identifier' ? s.local.name : String(s.local.value)));
  return undefined;
}

function stringValue(node) {
  if (node?.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node?.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0].value.cooked;
  return undefined;
}

/** `createRequire(...)(x)`, `createRequire(...).resolve(x)` and the same through a const: a module load in CommonJS clothing. */
function isCreateRequireLoad(call, sourceCode) {
  let callee = call.callee;
  if (callee.type === 'MemberExpression' && !callee.computed && callee.property.name === 'resolve') callee = callee.object;
  if (callee.type === 'Identifier') {
    const variable = sourceCode.getScope(call).references.find((r) => r.identifier === callee)?.resolved;
    const init = variable?.defs[0]?.node?.init;
    if (init) callee = init;
  }
  return callee.type === 'CallExpression' && callee.callee.type === 'Identifier' && callee.callee.name === 'createRequire';
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Every import and global of a file under src/ is on its layer allowlist (ARCHITECTURE.md)' },
    schema: [],
    messages: {
      noLayer: '{{file}} sits in no layer (src/crypto, src/shared, src/main, src/preload, src/renderer): move it into one, or add its folder to eslint-rules/layers.js.',
      import: "'{{specifier}}' {{why}}. {{layer}}: {{rule}} Move the code to a layer that may use it, or classify the import in eslint-rules/layers.js with a reason.",
      dynamic: 'A module specifier that is not a string literal cannot be classified. {{layer}}: {{rule}} Use a literal specifier.',
      global: "Global '{{name}}' is not on the {{name2}} layer's allowlist. {{layer}}: {{rule}} Import what you need, move the code, or classify the global in eslint-rules/layers.js with a reason.",
      globalThis: "'globalThis' used as a value hides which global it reaches. {{layer}}: {{rule}} Name the global directly.",
    },
  },
  create(context) {
    const sourceCode = context.sourceCode;
    const file = path.relative(context.cwd, context.filename).split(path.sep).join('/');
    if (!file.startsWith('src/')) return {};
    const policy = policyFor(file);
    if (!policy) {
      return { Program: (node) => context.report({ node, messageId: 'noLayer', data: { file } }) };
    }
    const about = { layer: `${policy.layer.folder} (${policy.name} layer${policy.isTest ? ', test file' : ''})`, rule: policy.layer.rule };

    const checkSource = (node, source, names) => {
      const specifier = stringValue(source);
      if (specifier === undefined) {
        context.report({ node: source ?? node, messageId: 'dynamic', data: about });
        return;
      }
      const why = classifyImport(policy, file, specifier, names);
      if (why) context.report({ node: source, messageId: 'import', data: { ...about, specifier, why } });
    };

    const checkGlobal = (identifier) => {
      const name = identifier.name;
      const parent = identifier.parent;
      if (name === 'globalThis') {
        if (parent?.type === 'MemberExpression' && parent.object === identifier) {
          const property = parent.computed ? stringValue(parent.property) : parent.property.name;
          if (property === undefined) context.report({ node: parent, messageId: 'globalThis', data: about });
          else if (!policy.globals.has(property)) context.report({ node: parent, messageId: 'global', data: { ...about, name: `globalThis.${property}`, name2: policy.name } });
          return;
        }
        if (parent?.type === 'TSTypeQuery') return;
        context.report({ node: identifier, messageId: 'globalThis', data: about });
        return;
      }
      if (!policy.globals.has(name)) context.report({ node: identifier, messageId: 'global', data: { ...about, name, name2: policy.name } });
    };

    return {
      ImportDeclaration: (node) => checkSource(node, node.source, importedNamesOf(node)),
      ExportAllDeclaration: (node) => checkSource(node, node.source, undefined),
      ExportNamedDeclaration: (node) => node.source && checkSource(node, node.source, importedNamesOf(node)),
      ImportExpression: (node) => checkSource(node, node.source, undefined),
      TSImportType: (node) => checkSource(node, node.argument?.type === 'TSLiteralType' ? node.argument.literal : node.argument, undefined),
      TSExternalModuleReference: (node) => checkSource(node, node.expression, undefined),
      CallExpression: (node) => {
        if (node.arguments.length > 0 && isCreateRequireLoad(node, sourceCode)) checkSource(node, node.arguments[0], undefined);
      },
      'Program:exit': () => {
        const globalScope = sourceCode.scopeManager.globalScope;
        // Free references (through) plus references that resolved to implicit globals: the
        // TypeScript lib's and the configured ones are variables without a declaration.
        const refs = [...globalScope.through];
        for (const variable of globalScope.variables) if (variable.defs.length === 0) refs.push(...variable.references);
        const seen = new Set();
        for (const ref of refs) {
          if (seen.has(ref.identifier) || ref.isValueReference === false) continue;
          seen.add(ref.identifier);
          checkGlobal(ref.identifier);
        }
      },
    };
  },
};

export default { meta: { name: 'vouch-layers' }, rules: { 'layer-allowlist': rule } };
