import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DESK_STATES } from '../../behaviors/desk-status.js';
import { generateRosTypes, OUTPUT } from '../../scripts/gen-msg-types.js';
import { schemaRegistry } from '../ros/schemas/index.js';
import {
  MedhjalparenMsgsDeskStatus,
  MedhjalparenMsgsGuideRequest,
  MedhjalparenMsgsGuideStatus,
  MedhjalparenMsgsLocalizationStatus,
} from './generated/ros-types.js';
import { GUIDE_STATES, LOCALIZATION_STATES } from './index.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PKG = path.join(ROOT, 'interfaces/medhjalparen_msgs');

describe('the generated shapes', () => {
  it('are what the generator makes of the definition files now (regenerate after editing one)', async () => {
    const committed = fs.readFileSync(path.join(ROOT, OUTPUT), 'utf8');
    expect(await generateRosTypes(ROOT)).toBe(committed);
  });

  it("list the code's state values as the .msg string constants, in the same order", () => {
    expect(Object.values(MedhjalparenMsgsGuideStatus)).toEqual([...GUIDE_STATES]);
    expect(Object.values(MedhjalparenMsgsLocalizationStatus)).toEqual([...LOCALIZATION_STATES]);
    expect(Object.values(MedhjalparenMsgsDeskStatus)).toEqual([...DESK_STATES]);
    expect(Object.values(MedhjalparenMsgsGuideRequest)).toEqual(['escort', 'directions']);
  });
});

describe('the medhjalparen_msgs package', () => {
  const cmake = fs.readFileSync(path.join(PKG, 'CMakeLists.txt'), 'utf8');
  const packageXml = fs.readFileSync(path.join(PKG, 'package.xml'), 'utf8');

  it('generates every file under msg/ and srv/, and no other', () => {
    const files = ['msg', 'srv', 'action'].flatMap((dir) =>
      fs.existsSync(path.join(PKG, dir)) ? fs.readdirSync(path.join(PKG, dir)).map((f) => `${dir}/${f}`) : [],
    );
    const listed = [...cmake.matchAll(/"((?:msg|srv|action)\/[A-Za-z0-9]+\.(?:msg|srv|action))"/g)].map(
      (m) => m[1],
    );
    expect(listed.sort()).toEqual(files.sort());
  });

  it('depends, in package.xml and CMakeLists.txt, on each package its definitions use', () => {
    const used = new Set<string>();
    for (const [name, def] of schemaRegistry().interfaces().definitions) {
      if (def.pkg !== 'medhjalparen_msgs') continue;
      // rosidl builds an action's goal, result and feedback services on action_msgs.
      if (name.includes('/action/')) used.add('action_msgs');
      for (const f of def.fields) {
        if (f.isComplex) used.add(f.type.split('/')[0]!);
        if (f.type === 'time' || f.type === 'duration') used.add('builtin_interfaces');
      }
    }
    used.delete('medhjalparen_msgs');
    const depends = [...packageXml.matchAll(/<depend>([a-z0-9_]+)<\/depend>/g)].map((m) => m[1]);
    const cmakeDeps = /DEPENDENCIES ([a-z0-9_ ]+)\n/.exec(cmake)?.[1]?.trim().split(/\s+/);
    expect(depends.sort()).toEqual([...used].sort());
    expect(cmakeDeps?.sort()).toEqual([...used].sort());
  });

  it('is an interface package in format 3, built by rosidl', () => {
    expect(packageXml).toContain('<package format="3">');
    expect(packageXml).toContain('<buildtool_depend>rosidl_default_generators</buildtool_depend>');
    expect(packageXml).toContain('<exec_depend>rosidl_default_runtime</exec_depend>');
    expect(packageXml).toContain('<member_of_group>rosidl_interface_packages</member_of_group>');
  });
});

describe('the vendored upstream packages', () => {
  const vendor = path.join(ROOT, 'interfaces/vendor');
  const readme = fs.readFileSync(path.join(vendor, 'README.md'), 'utf8');

  it.each(fs.readdirSync(vendor).filter((d) => fs.statSync(path.join(vendor, d)).isDirectory()))(
    '%s carries its licence and is named in the README',
    (pkg) => {
      const licence = fs.readFileSync(path.join(vendor, pkg, 'LICENSE'), 'utf8');
      expect(licence).toMatch(/Apache License|Redistribution and use in source and binary forms/);
      expect(readme).toContain(pkg);
    },
  );
});
