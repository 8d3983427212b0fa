import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ParseIdPipe } from '../common/db-input';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/authenticated.decorator';
import { CreateEmployeeDto, EmployeeDto, UpdateEmployeeDto } from './dto/employee.dto';
import { employeeSnapshot, EmployeesService } from './employees.service';

@ApiTags('employees')
@Controller('api/employees')
export class EmployeesController {
  constructor(private readonly employees: EmployeesService) {}

  @Get()
  @Authenticated({ roles: ['admin', 'manager', 'leader'] })
  @ApiOkResponse({ type: [EmployeeDto] })
  async list(): Promise<EmployeeDto[]> {
    return (await this.employees.list()).map(employeeSnapshot);
  }

  @Get(':id')
  @Authenticated({ roles: ['admin', 'manager', 'leader'] })
  @ApiOkResponse({ type: EmployeeDto })
  async get(@Param('id', ParseIdPipe) id: number): Promise<EmployeeDto> {
    return employeeSnapshot(await this.employees.get(id));
  }

  @Post()
  @Authenticated({ roles: ['admin', 'manager'] })
  @ApiCreatedResponse({ type: EmployeeDto })
  async create(@Body() dto: CreateEmployeeDto): Promise<EmployeeDto> {
    return employeeSnapshot(await this.employees.create(dto));
  }

  @Patch(':id')
  @Authenticated({ roles: ['admin', 'manager'] })
  @ApiOkResponse({ type: EmployeeDto })
  async update(@Param('id', ParseIdPipe) id: number, @Body() dto: UpdateEmployeeDto): Promise<EmployeeDto> {
    return employeeSnapshot(await this.employees.update(id, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  @Authenticated({ roles: ['admin', 'manager'] })
  remove(@Param('id', ParseIdPipe) id: number): Promise<void> {
    return this.employees.remove(id);
  }
}
